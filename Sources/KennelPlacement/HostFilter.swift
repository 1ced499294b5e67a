import KennelModel

/// One stage of host filtering: a name for reports and a check that explains refusals.
struct HostFilter: Sendable {
    let name: String
    /// Returns nil when the candidate passes, else the reason it does not.
    let refusal: @Sendable (HostCandidate, PlacementRequest) -> String?

    /// The filters, in the order reasons are reported.
    static let all: [HostFilter] = [
        HostFilter(name: "state") { candidate, _ in
            candidate.host.state == .active ? nil : "state is \(candidate.host.state.rawValue)"
        },
        HostFilter(name: "idc") { candidate, request in
            candidate.host.location.idc == request.idc ? nil : "in IDC \(candidate.host.location.idc)"
        },
        HostFilter(name: "zone") { candidate, request in
            guard let zone = request.zone, candidate.host.location.zone != zone else { return nil }
            return "in zone \(candidate.host.location.zone)"
        },
        HostFilter(name: "vlan") { candidate, request in
            candidate.host.vlans.contains(request.vlan) ? nil : "bridge does not trunk VLAN \(request.vlan)"
        },
        HostFilter(name: "cpu") { candidate, request in
            let free = candidate.free.cpus
            return free >= request.resources.cpus ? nil : "cpus \(free) free < \(request.resources.cpus) requested"
        },
        HostFilter(name: "memory") { candidate, request in
            let free = candidate.free.memory
            return free >= request.resources.memory ? nil : "memory \(free) free < \(request.resources.memory) requested"
        },
        HostFilter(name: "disk") { candidate, request in
            let free = candidate.free.disk
            return free >= request.resources.disk ? nil : "disk \(free) free < \(request.resources.disk) requested"
        },
    ]
}
