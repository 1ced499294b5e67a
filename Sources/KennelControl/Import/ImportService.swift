import Foundation
import KennelIPAM
import KennelImport
import KennelModel
import KennelPlacement

/// Imports inventories: reads the files (`KennelImport`), maps each row with the map
/// file's rules, and plans against the inventory — create, update, unchanged, skip or
/// error per row with reasons, and per IDC/zone/service whether the hosts can take the
/// new machines (placement's explain path). Admins only: an import makes machines of
/// any team.
public struct ImportService: Sendable {
    let store: any MachineStore
    let environment: ServiceEnvironment
    /// Builds, starts and resizes what an apply writes; nil for a planner only.
    let machines: MachineService?

    public init(store: any MachineStore, machines: MachineService? = nil, environment: ServiceEnvironment = .live) {
        self.store = store
        self.machines = machines
        self.environment = environment
    }

    /// What the import would do; nothing is written. A map that cannot be read is 422
    /// naming `map` and the field in it.
    public func plan(
        _ files: [SourceFile], map mapFile: SourceFile? = nil, format: SourceFormat? = nil, includeOff: Bool = false,
        by requester: Requester
    ) async throws -> ImportPlan {
        try requester.principal.requireAdmin("importing inventories")
        guard !files.isEmpty else { throw KennelError.invalid("file", "give at least one inventory file") }
        var map = ImportMap()
        if let mapFile {
            do {
                map = try ImportMap.parse(mapFile.bytes, file: mapFile.name)
            } catch {
                throw KennelError.invalid("map", error.description)
            }
        }
        // The inventory first, while nothing else is held; then each stage's input is
        // dropped once the next is made: 100,000 rows of source cells, mapped rows and
        // planned rows are never all alive at once.
        let inventory = try await ImportInventory.load(from: store)
        let (readFormat, issues): (SourceFormat, [ImportIssue])
        var rows: [MappedRow]
        do {
            let (read, _) = InventoryReader.read(files, format: format, columns: map.columns ?? GenericColumns())
            let mapper = Mapper(map: map, includeOff: includeOff)
            (readFormat, issues, rows) = (read.format, read.issues, RowConflicts.flag(read.machines.map(mapper.map)))
        }
        var planned: [ImportPlan.Row] = []
        planned.reserveCapacity(rows.count)
        for index in rows.indices {
            planned.append(inventory.plan(rows[index]))
        }
        rows = []
        let groups = try await feasibility(of: planned)
        return ImportPlan(format: readFormat, rows: planned, groups: groups, issues: issues)
    }

    /// Each row's result of import operation `id` (admins); `not_found` for an operation
    /// that is not an import.
    public func rows(of id: Int64, by requester: Requester) async throws -> [ImportOutcome.Row] {
        try requester.principal.requireAdmin("reading imports")
        guard let operation = try await store.snapshot({ store in try store.operation(id: id) }), operation.kind == .inventoryImport else {
            throw KennelError.notFound("import", "\(id)")
        }
        return try await store.snapshot { store in try store.importRows(of: id) }
    }

    /// The machines `requester` may read, as the importer reads them back.
    public func export(by requester: Requester) async throws -> [InventoryExport.Entry] {
        let machines = try await store.machines().filter { requester.principal.canRead(team: $0.team) }
        let sources = try await store.snapshot { store in try store.machineSources() }
        var byMachine: [Hostname: String] = [:]
        for (id, machine) in sources { byMachine[machine] = id }
        return machines.map { InventoryExport.Entry($0, sourceID: byMachine[$0.name]) }
    }

    /// Groups the creates by IDC, zone and service and asks placement, for the largest of
    /// each group, which hosts could take it; their free resources must hold the group.
    private func feasibility(of rows: [ImportPlan.Row]) async throws -> [ImportPlan.Group] {
        struct Key: Hashable {
            let idc: Hostname
            let zone: Hostname?
            let service: Label?
        }
        var members: [Key: [Int]] = [:]
        for (index, row) in rows.enumerated() where row.action == .create {
            guard let request = row.request else { continue }
            members[Key(idc: request.idc, zone: request.zone, service: request.service), default: []].append(index)
        }
        var groups: [ImportPlan.Group] = []
        let now = environment.now()
        for (key, indices) in members.sorted(by: {
            ($0.key.idc, $0.key.zone?.value ?? "", $0.key.service?.value ?? "") < ($1.key.idc, $1.key.zone?.value ?? "", $1.key.service?.value ?? "")
        }) {
            let requests = indices.compactMap { rows[$0].request }
            let demand = Self.total(requests.map(\.spec.resources))
            guard let largest = requests.max(by: { ($0.spec.cpus.value, $0.spec.memory) < ($1.spec.cpus.value, $1.spec.memory) }) else { continue }
            var probe = largest
            probe.ip = nil
            probe.mac = nil
            let claim = MachineClaim(request: probe, uuid: UUID(), now: now)
            let (report, free): (PlacementReport, Resources) = try await store.dryRun { store in
                let plan: MachineClaim.Plan
                do {
                    plan = try claim.plan(store)
                } catch let error as KennelError {
                    return (PlacementReport.refused(error), Resources.zero)
                }
                let report = PlacementReport.explain(plan.request, among: plan.candidates)
                let eligible = Set(report.ranking.map(\.host.name))
                let free = Self.total(plan.candidates.filter { eligible.contains($0.host.name) }.map(\.free))
                return (report, free)
            }
            var refusal: String?
            if let error = report.error {
                refusal = error.message
            } else if report.chosen == nil {
                refusal = "no host can take \(largest.name) (\(largest.spec.cpus) CPUs, \(largest.spec.memory))"
            } else {
                var short: [String] = []
                if demand.cpus > free.cpus { short.append("\(demand.cpus) CPUs asked, \(free.cpus) free") }
                if free.memory < demand.memory { short.append("\(demand.memory) memory asked, \(free.memory) free") }
                if free.disk < demand.disk { short.append("\(demand.disk) disk asked, \(free.disk) free") }
                if !short.isEmpty { refusal = "the hosts that may take them are short: " + short.joined(separator: "; ") }
            }
            groups.append(
                ImportPlan.Group(
                    idc: key.idc, zone: key.zone, service: key.service, machines: indices.count, demand: demand, free: free, refusal: refusal))
        }
        return groups
    }
}

extension ImportService {
    /// CPUs, memory and disk added up, saturating (a host's free bandwidth may be
    /// "unlimited", which no sum should overflow on).
    static func total(_ amounts: [Resources]) -> Resources {
        func add(_ lhs: UInt64, _ rhs: UInt64) -> UInt64 {
            let (sum, overflow) = lhs.addingReportingOverflow(rhs)
            return overflow ? .max : sum
        }
        var cpus = 0
        var memory: UInt64 = 0
        var disk: UInt64 = 0
        for amount in amounts {
            cpus = cpus.addingReportingOverflow(amount.cpus).overflow ? .max : cpus + amount.cpus
            memory = add(memory, amount.memory.bytes)
            disk = add(disk, amount.disk.bytes)
        }
        return Resources(cpus: cpus, memory: ByteSize(bytes: memory), disk: ByteSize(bytes: disk))
    }
}
