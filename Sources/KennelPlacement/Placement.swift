import KennelModel

/// Picks the host for a new machine, as a pipeline of pure stages:
///
/// 1. **filters**: state, IDC, zone, class, labels, VLAN reach, CPU, memory, disk and
///    bandwidth after overcommit; each refusal is explainable;
/// 2. **spread**: a service's next machine goes to the eligible rack holding fewest of
///    it, then to the host holding fewest; with `strict` spread a rack that already holds
///    one is never used;
/// 3. **score**: `spread` prefers the largest free share, `binpack` the smallest;
/// 4. **tie-break** by host name, so equal inputs always give the same host.
public enum Placement {
    /// Chooses a host, or throws `no_capacity` / `spread_impossible` with the reasons.
    public static func choose(_ request: PlacementRequest, among candidates: [HostCandidate]) throws(KennelError) -> HostCandidate {
        let rackLoad = serviceMachinesPerRack(candidates)
        var best: Int?
        for index in candidates.indices where HostFilter.passesAll(candidates[index], request) {
            if let current = best {
                if ranks(candidates[index], before: candidates[current], rackLoad, request) { best = index }
            } else {
                best = index
            }
        }
        guard let best else { throw refusal(request, candidates) }
        let chosen = candidates[best]
        if request.spread == .strict, request.service != nil, rackLoad[chosen.rackIndex] > 0 {
            throw strictRefusal(request, candidates, rackLoad)
        }
        return chosen
    }

    /// Whether `lhs` goes before `rhs`: (rack load, host load, score, name) ascending.
    static func ranks(_ lhs: HostCandidate, before rhs: HostCandidate, _ rackLoad: [Int], _ request: PlacementRequest) -> Bool {
        if request.service != nil {
            let left = rackLoad[lhs.rackIndex], right = rackLoad[rhs.rackIndex]
            if left != right { return left < right }
            if lhs.serviceMachines != rhs.serviceMachines { return lhs.serviceMachines < rhs.serviceMachines }
        }
        let left = lhs.freeShare, right = rhs.freeShare
        if left != right { return request.scoring == .spread ? left > right : left < right }
        return lhs.host.name < rhs.host.name
    }

    /// Machines of the request's service per rack index, over every candidate (a rack's
    /// count includes hosts that cannot take this machine).
    static func serviceMachinesPerRack(_ candidates: [HostCandidate]) -> [Int] {
        var load = [Int](repeating: 0, count: (candidates.map(\.rackIndex).max() ?? -1) + 1)
        for candidate in candidates { load[candidate.rackIndex] += candidate.serviceMachines }
        return load
    }

    static func refusal(_ request: PlacementRequest, _ candidates: [HostCandidate]) -> KennelError {
        let details = PlacementReport.refusals(request, candidates)
        let wanted = request.resources
        let scope = request.zone.map { "\(request.idc)/\($0)" } ?? request.idc.value
        let head = "no host in \(scope) can take \(wanted.cpus) CPUs, \(wanted.memory) memory, \(wanted.disk) disk"
        guard !details.hosts.isEmpty else { return KennelError(.noCapacity, head + ": no hosts", details: details) }
        let counts = details.filtered.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let shown = details.hosts.prefix(8).map { "host \($0.host): \($0.reason)" }
        let more = details.hosts.count > 8 ? ["and \(details.hosts.count - 8) more"] : []
        return KennelError(.noCapacity, head + " (filtered \(counts)): " + (shown + more).joined(separator: "; "), details: details)
    }

    static func strictRefusal(_ request: PlacementRequest, _ candidates: [HostCandidate], _ rackLoad: [Int]) -> KennelError {
        let details = PlacementReport.refusals(request, candidates, strictLoad: rackLoad)
        let racks = Set(candidates.filter { HostFilter.passesAll($0, request) }.map { "\($0.host.location.zone)/\($0.host.location.rack)" })
        return KennelError(
            .spreadImpossible,
            "strict spread: every eligible rack (\(racks.sorted().joined(separator: ", "))) already holds a machine of service \(request.service?.value ?? "")",
            field: "spread", details: details
        )
    }
}
