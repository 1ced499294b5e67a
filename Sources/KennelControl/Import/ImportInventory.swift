import Foundation
import KennelIPAM
import KennelImport
import KennelModel

/// The inventory a plan compares rows with, read once.
struct ImportInventory: Sendable {
    let machines: [Hostname: MachineFacts]
    let sources: [String: Hostname]
    let pools: [Pool]
    let layouts: [Hostname: PoolLayout]
    let leases: [IPv4Address: Lease]
    let macs: Set<MACAddress>
    let idcs: Set<Hostname>
    let zones: Set<ZoneKey>
    let racks: [SiteLocation]
    let teams: Set<Hostname>

    static func load(from store: any MachineStore) async throws -> ImportInventory {
        try await store.snapshot { store in
            var machines: [Hostname: MachineFacts] = [:]
            for facts in try store.machineFacts() { machines[facts.name] = facts }
            let pools = try store.allPools()
            var leases: [IPv4Address: Lease] = [:]
            for pool in pools { for lease in try store.leases(in: pool.name) { leases[lease.address] = lease } }
            return ImportInventory(
                machines: machines,
                sources: try store.machineSources(), pools: pools,
                layouts: Dictionary(pools.map { ($0.name, PoolLayout(pool: $0)) }, uniquingKeysWith: { first, _ in first }),
                leases: leases, macs: Set(leases.values.map(\.mac)), idcs: Set(try store.idcs()), zones: Set(try store.zones()),
                racks: try store.racks(),
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
    private func compare(_ request: MachineRequest, with machine: MachineFacts) -> (ImportPlan.Action, [String]) {
        var refused: [String] = []
        func identity(_ field: String, _ old: String?, _ new: String?) {
            if let new, old != new { refused.append("\(field) cannot change from \(old ?? "none") to \(new): a machine keeps its identity") }
        }
        identity("name", machine.name.value, request.name.value)
        identity("ip", machine.ip.description, request.ip?.description)
        identity("mac", machine.mac.description, request.mac?.description)
        identity("idc", machine.idc.value, request.idc.value)
        if request.spec.disk < machine.disk { refused.append("disk cannot shrink from \(machine.disk) to \(request.spec.disk)") }
        guard refused.isEmpty else { return (.error, refused) }
        var changes: [String] = []
        func change(_ field: String, _ old: String?, _ new: String?) {
            if old != new { changes.append("\(field) \(old ?? "none") → \(new ?? "none")") }
        }
        change("cpus", machine.cpus.description, request.spec.cpus.description)
        change("memory", machine.memory.description, request.spec.memory.description)
        change("disk", machine.disk.description, request.spec.disk.description)
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
        if let rack = request.rack, !racks.contains(where: { $0.idc == request.idc && $0.rack == rack && (request.zone ?? $0.zone) == $0.zone }) {
            problems.append(
                "column \"rack\": \(request.idc)\(request.zone.map { "/\($0)" } ?? "") has no rack named \(rack) (add it to the site, or leave the rack out of the map's columns)"
            )
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
