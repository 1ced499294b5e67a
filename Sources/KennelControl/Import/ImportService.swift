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

    public init(store: any MachineStore, environment: ServiceEnvironment = .live) {
        self.store = store
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
        let (read, _) = InventoryReader.read(files, format: format, columns: map.columns ?? GenericColumns())
        let mapper = Mapper(map: map, includeOff: includeOff)
        let rows = RowConflicts.flag(read.machines.map(mapper.map))
        let inventory = try await ImportInventory.load(from: store)
        var planned = rows.map { inventory.plan($0) }
        let groups = try await feasibility(of: &planned)
        return ImportPlan(format: read.format, rows: planned, groups: groups, issues: read.issues)
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
    private func feasibility(of rows: inout [ImportPlan.Row]) async throws -> [ImportPlan.Group] {
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

/// The inventory a plan compares rows with, read once.
struct ImportInventory: Sendable {
    let machines: [Hostname: Machine]
    let sources: [String: Hostname]
    let pools: [Pool]
    let layouts: [Hostname: PoolLayout]
    let leases: [IPv4Address: Lease]
    let macs: Set<MACAddress>
    let idcs: Set<Hostname>
    let zones: Set<ZoneKey>
    let teams: Set<Hostname>

    static func load(from store: any MachineStore) async throws -> ImportInventory {
        let machines = try await store.machines()
        return try await store.snapshot { store in
            let pools = try store.allPools()
            var leases: [IPv4Address: Lease] = [:]
            for pool in pools { for lease in try store.leases(in: pool.name) { leases[lease.address] = lease } }
            return ImportInventory(
                machines: Dictionary(machines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                sources: try store.machineSources(), pools: pools,
                layouts: Dictionary(pools.map { ($0.name, PoolLayout(pool: $0)) }, uniquingKeysWith: { first, _ in first }),
                leases: leases, macs: Set(leases.values.map(\.mac)), idcs: Set(try store.idcs()), zones: Set(try store.zones()),
                teams: Set(try store.allTeams().map(\.name)))
        }
    }

    /// The plan of one mapped row.
    func plan(_ mapped: MappedRow) -> ImportPlan.Row {
        let source = mapped.source
        var row = ImportPlan.Row(
            file: source.file, row: source.row, sourceName: source.name, sourceID: source.sourceID, action: .error, reasons: [],
            notes: mapped.notes, request: nil)
        switch mapped.outcome {
        case .skip(let reason):
            row.action = .skip
            row.reasons = [reason]
            return row
        case .error(let issues):
            row.reasons = issues.map(\.description)
            return row
        case .machine(let imported):
            row.request = imported.request
            row.sourceID = imported.sourceID
            let problems: [String]
            if let name = sources[imported.sourceID], let existing = machines[name] {
                (row.action, problems) = compare(imported.request, with: existing)
            } else if let existing = machines[imported.request.name] {
                row.action = .error
                problems = ["a machine named \(existing.name) exists already, not imported from this source (id \(imported.sourceID))"]
            } else {
                problems = check(imported.request)
                row.action = problems.isEmpty ? .create : .error
            }
            row.reasons = problems.map { "\(place(source)): \($0)" }
            if row.action == .update || row.action == .unchanged { row.reasons = problems }
            return row
        }
    }

    /// An existing machine of the same source: identity never changes; sizes and owners may.
    private func compare(_ request: MachineRequest, with machine: Machine) -> (ImportPlan.Action, [String]) {
        var refused: [String] = []
        func identity(_ field: String, _ old: String?, _ new: String?) {
            if let new, old != new { refused.append("\(field) cannot change from \(old ?? "none") to \(new): a machine keeps its identity") }
        }
        identity("name", machine.name.value, request.name.value)
        identity("ip", machine.network.ip.description, request.ip?.description)
        identity("mac", machine.network.mac.description, request.mac?.description)
        identity("idc", machine.location.idc.value, request.idc.value)
        if request.spec.disk < machine.spec.disk { refused.append("disk cannot shrink from \(machine.spec.disk) to \(request.spec.disk)") }
        guard refused.isEmpty else { return (.error, refused) }
        var changes: [String] = []
        func change(_ field: String, _ old: String?, _ new: String?) {
            if old != new { changes.append("\(field) \(old ?? "none") → \(new ?? "none")") }
        }
        change("cpus", machine.spec.cpus.description, request.spec.cpus.description)
        change("memory", machine.spec.memory.description, request.spec.memory.description)
        change("disk", machine.spec.disk.description, request.spec.disk.description)
        change("team", machine.team?.value, request.team?.value)
        change("service", machine.service?.value, request.service?.value)
        change("owner", machine.owner?.value, request.owner?.value)
        return (changes.isEmpty ? .unchanged : .update, changes)
    }

    /// What would refuse a new machine: unknown IDC, zone or team; an address outside the
    /// pools serving its place, not allocatable, or held; a MAC in use or reserved.
    private func check(_ request: MachineRequest) -> [String] {
        var problems: [String] = []
        if !idcs.contains(request.idc) { problems.append("column \"idc\": no IDC named \(request.idc) (map it with a places rule)") }
        if let zone = request.zone, !zones.contains(ZoneKey(idc: request.idc, zone: zone)) {
            problems.append("column \"zone\": IDC \(request.idc) has no zone named \(zone)")
        }
        if let team = request.team, !teams.contains(team) { problems.append("column \"team\": no team named \(team)") }
        let serving = pools.filter { $0.idc == request.idc && (request.zone.map($0.serves(zone:)) ?? true) }
        if let name = request.pool, !serving.contains(where: { $0.name == name }) {
            problems.append("column \"pool\": pool \(name) does not exist or does not serve \(request.idc)\(request.zone.map { "/\($0)" } ?? "")")
        }
        if let ip = request.ip {
            let candidates = request.pool.map { name in serving.filter { $0.name == name } } ?? serving
            if let pool = candidates.first(where: { $0.cidr.contains(ip) }) {
                if layouts[pool.name]?.isAllocatable(ip) != true {
                    problems.append(
                        "column \"ip\": \(ip) is not an allocatable address of pool \(pool.name) (gateway, excluded, or outside its ranges)")
                }
            } else if let elsewhere = pools.first(where: { $0.cidr.contains(ip) }) {
                problems.append("column \"ip\": \(ip) is in pool \(elsewhere.name), which serves \(elsewhere.idc), not \(request.idc)")
            } else {
                problems.append("column \"ip\": \(ip) is outside every pool")
            }
            if let lease = leases[ip], lease.machine != request.name {
                problems.append(
                    "column \"ip\": \(ip) is \(lease.state == .active ? "leased to" : "quarantined after") machine \(lease.machine)")
            }
        }
        if let mac = request.mac {
            // A MAC Kennel derived from this very address (a Kennel export read back) is
            // the one the machine gets anyway.
            if macs.contains(mac) { problems.append("column \"mac\": \(mac) is used by another machine") }
            let derived = request.ip.map(MACAddress.init(derivedFrom:))
            if mac.octets.prefix(2) == [0x52, 0x54], mac.octets[2] != 0, mac != derived {
                problems.append("column \"mac\": \(mac) is in 52:54:…, which Kennel derives its own MACs from (only 52:54:00:… may be kept)")
            }
        }
        return problems
    }

    private func place(_ source: SourceMachine) -> String {
        (source.file.map { "\($0) " } ?? "") + "row \(source.row)"
    }
}
