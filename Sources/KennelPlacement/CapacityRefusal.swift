import KennelModel

/// Which request field a `no_capacity` refusal is about, and whether the request asks
/// for more than any host in scope holds even when empty.
enum CapacityRefusal {
    /// The request field behind each resource filter.
    static let fieldOfFilter: [String: String] = [
        "cpu": "cpus", "memory": "memory", "disk": "disk", "class": "host_class", "labels": "host_labels", "vlan": "pool",
    ]

    /// The one field that every refused host in scope failed on, or nil when hosts were
    /// refused for different reasons. Hosts outside the IDC, zone or active state do not
    /// count: they were never in scope.
    static func field(_ request: PlacementRequest, _ details: RefusalDetails) -> String? {
        let scoped = details.hosts.filter { !["state", "idc", "zone"].contains($0.filter) }
        let filters = Set(scoped.map(\.filter))
        guard filters.count == 1, let filter = filters.first else { return nil }
        if filter == "bandwidth" { return request.resources.ingress > 0 ? "ingress" : "egress" }
        return fieldOfFilter[filter]
    }

    /// "cpus: 64 is more than any host in dc1 can ever hold (the largest holds 32 after
    /// overcommit)", when it is; nil when some host could hold it once emptied.
    static func beyondLargest(_ field: String, _ request: PlacementRequest, _ candidates: [HostCandidate], scope: String) -> String? {
        let inScope = candidates.filter { candidate in
            let location = candidate.host.location
            return candidate.host.state == .active && location.idc == request.idc && (request.zone.map { $0 == location.zone } ?? true)
        }
        guard !inScope.isEmpty else { return nil }
        let wanted = request.resources
        switch field {
        case "cpus":
            let largest = inScope.map(\.host.schedulable.cpus).max() ?? 0
            return wanted.cpus > largest
                ? "cpus: \(wanted.cpus) is more than any host in \(scope) can hold (the largest holds \(largest) after overcommit)" : nil
        case "memory":
            let largest = inScope.map(\.host.schedulable.memory).max() ?? ByteSize(bytes: 0)
            return wanted.memory > largest
                ? "memory: \(wanted.memory) is more than any host in \(scope) can hold (the largest holds \(largest) after overcommit)" : nil
        case "disk":
            let largest = inScope.map(\.host.schedulable.disk).max() ?? ByteSize(bytes: 0)
            return wanted.disk > largest
                ? "disk: \(wanted.disk) is more than any host in \(scope) can hold (the largest holds \(largest) after overcommit)" : nil
        default:
            return nil
        }
    }
}
