import KennelModel
import KennelPlacement

/// Placement candidates kept across many claims in one transaction (an import's
/// thousands of rows): read once per IDC and service, then kept current as each claim
/// places a machine, so a claim costs placement's pass over the hosts and not a read of
/// every host's usage. Only for use inside the transaction that made it.
final class PlacementMemo {
    fileprivate struct Key: Hashable {
        let idc: Hostname
        let service: Label?
    }

    private var candidates: [Key: [HostCandidate]] = [:]
    private var policy: ScoringPolicy?
    private var racks: [SiteLocation]?

    init() {}

    /// Every rack, read once per transaction (an import names a rack on each row).
    func racks(_ store: any StoreTransaction) throws -> [SiteLocation] {
        if let racks { return racks }
        let read = try store.racks()
        racks = read
        return read
    }

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

    /// What the memo holds now, to put back when a savepoint rolls a claim back.
    struct Checkpoint {
        fileprivate let candidates: [Key: [HostCandidate]]
    }

    /// The candidates as they are now (copy-on-write: cheap until the next claim).
    func checkpoint() -> Checkpoint { Checkpoint(candidates: candidates) }

    /// Puts the candidates back as they were at `checkpoint`.
    func restore(_ checkpoint: Checkpoint) { candidates = checkpoint.candidates }

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
