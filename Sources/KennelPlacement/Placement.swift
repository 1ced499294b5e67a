import KennelModel

/// Picks the host for a new machine.
///
/// Filters drop hosts that cannot take the machine (each refusal is explained); among the
/// rest, a machine of a service goes to the rack holding fewest machines of that service,
/// then to the host holding fewest, then to the host with most free memory; the host
/// name breaks any tie, so the same inputs always give the same answer.
public enum Placement {
    /// Chooses a host among `candidates`, or throws `no_capacity` with per-host reasons.
    public static func choose(
        _ request: PlacementRequest, among candidates: [HostCandidate]
    ) throws(KennelError) -> HostCandidate {
        var eligible: [HostCandidate] = []
        var refusals: [(host: Hostname, reason: String)] = []
        for candidate in candidates {
            if let reason = firstRefusal(of: candidate, for: request) {
                refusals.append((candidate.host.name, reason))
            } else {
                eligible.append(candidate)
            }
        }
        let rackLoad = serviceMachinesPerRack(candidates)
        let best = eligible.min { lhs, rhs in
            let left = rankKey(lhs, rackLoad), right = rankKey(rhs, rackLoad)
            if left.rack != right.rack { return left.rack < right.rack }
            if left.host != right.host { return left.host < right.host }
            if left.freeMemory != right.freeMemory { return left.freeMemory > right.freeMemory }
            return lhs.host.name < rhs.host.name
        }
        guard let best else { throw refusal(request, refusals) }
        return best
    }

    static func firstRefusal(of candidate: HostCandidate, for request: PlacementRequest) -> String? {
        for filter in HostFilter.all {
            if let reason = filter.refusal(candidate, request) { return reason }
        }
        return nil
    }

    private static func serviceMachinesPerRack(_ candidates: [HostCandidate]) -> [SiteLocation: Int] {
        candidates.reduce(into: [:]) { load, candidate in
            load[candidate.host.location, default: 0] += candidate.serviceMachines
        }
    }

    private static func rankKey(
        _ candidate: HostCandidate, _ rackLoad: [SiteLocation: Int]
    ) -> (rack: Int, host: Int, freeMemory: UInt64) {
        (rackLoad[candidate.host.location, default: 0], candidate.serviceMachines, candidate.free.memory.bytes)
    }

    private static func refusal(
        _ request: PlacementRequest, _ refusals: [(host: Hostname, reason: String)]
    ) -> KennelError {
        let scope = request.zone.map { "\(request.idc)/\($0)" } ?? request.idc.value
        let wanted = request.resources
        let head = "no host in \(scope) can take \(wanted.cpus) CPUs, \(wanted.memory) memory, \(wanted.disk) disk"
        guard !refusals.isEmpty else { return KennelError(.noCapacity, head + ": no hosts") }
        let shown = refusals.prefix(8).map { "host \($0.host): \($0.reason)" }
        let more = refusals.count > 8 ? ["and \(refusals.count - 8) more"] : []
        return KennelError(.noCapacity, head + ": " + (shown + more).joined(separator: "; "))
    }
}
