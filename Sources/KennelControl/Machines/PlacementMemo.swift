import KennelModel
import KennelPlacement

/// Placement candidates kept across many claims in one transaction (an import's
/// thousands of rows): read once per IDC and service, then kept current as each claim
/// places a machine, so a claim costs placement's pass over the hosts and not a read of
/// every host's usage. Only for use inside the transaction that made it.
final class PlacementMemo {
    private struct Key: Hashable {
        let idc: Hostname
        let service: Label?
    }

    private var candidates: [Key: [HostCandidate]] = [:]
    private var policy: ScoringPolicy?

    init() {}

    func scoring(_ store: any StoreTransaction) throws -> ScoringPolicy {
        if let policy { return policy }
        let read = try store.scoringPolicy()
        policy = read
        return read
    }

    func candidates(in idc: Hostname, service: Label?, _ store: any StoreTransaction) throws -> [HostCandidate] {
        let key = Key(idc: idc, service: service)
        if let known = candidates[key] { return known }
        let read = try store.placementCandidates(in: idc, service: service)
        candidates[key] = read
        return read
    }

    /// Counts `machine` on its host in every kept list of its IDC (and, in its service's
    /// list, as one more machine of the service).
    func placed(_ machine: Machine) {
        for (key, list) in candidates where key.idc == machine.location.idc {
            guard let index = list.firstIndex(where: { $0.host.name == machine.host }) else { continue }
            let old = list[index]
            let sameService = key.service != nil && key.service == machine.service
            var updated = list
            updated[index] = HostCandidate(
                host: old.host, used: old.used + machine.spec.resources, serviceMachines: old.serviceMachines + (sameService ? 1 : 0),
                rackIndex: old.rackIndex)
            candidates[key] = updated
        }
    }
}
