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
        candidates[try chooseIndex(request, among: candidates)]
    }

    /// Like `choose`, but answers the chosen candidate's index.
    public static func chooseIndex(_ request: PlacementRequest, among candidates: [HostCandidate]) throws(KennelError) -> Int {
        let rackLoad = serviceMachinesPerRack(candidates, service: request.service)
        let vlans = VLANMask(request.vlans)
        var best = -1
        for index in candidates.indices where HostFilter.passesAll(candidates, index, request, vlans) {
            if best < 0 || ranks(candidates, index, before: best, rackLoad, request) { best = index }
        }
        guard best >= 0 else { throw refusal(request, candidates) }
        if request.spread == .strict, request.service != nil, rackLoad[candidates[best].rackIndex] > 0 {
            throw strictRefusal(request, candidates, rackLoad)
        }
        return best
    }

    /// Whether candidate `i` goes before candidate `j`: (rack load, host load, score,
    /// name) ascending. Reads fields in place.
    static func ranks(_ candidates: [HostCandidate], _ i: Int, before j: Int, _ rackLoad: [Int], _ request: PlacementRequest) -> Bool {
        if request.service != nil {
            let left = rackLoad[candidates[i].rackIndex]
            let right = rackLoad[candidates[j].rackIndex]
            if left != right { return left < right }
            let leftHost = candidates[i].serviceMachines
            let rightHost = candidates[j].serviceMachines
            if leftHost != rightHost { return leftHost < rightHost }
        }
        let left = candidates[i].freeShare
        let right = candidates[j].freeShare
        if left != right { return request.scoring == .spread ? left > right : left < right }
        return candidates[i].box.host.name < candidates[j].box.host.name
    }

    /// Machines of the request's service per rack index, over every candidate (a rack's
    /// count includes hosts that cannot take this machine). Empty without a service.
    static func serviceMachinesPerRack(_ candidates: [HostCandidate], service: Label?) -> [Int] {
        guard service != nil else { return [Int](repeating: 0, count: rackCount(candidates)) }
        var load = [Int](repeating: 0, count: rackCount(candidates))
        for index in candidates.indices { load[candidates[index].rackIndex] += candidates[index].serviceMachines }
        return load
    }

    private static func rackCount(_ candidates: [HostCandidate]) -> Int {
        var highest = -1
        for index in candidates.indices where candidates[index].rackIndex > highest { highest = candidates[index].rackIndex }
        return highest + 1
    }

    static func refusal(_ request: PlacementRequest, _ candidates: [HostCandidate]) -> KennelError {
        let details = PlacementReport.refusals(request, candidates)
        let wanted = request.resources
        let scope = request.zone.map { "\(request.idc)/\($0)" } ?? request.idc.value
        let head = "no host in \(scope) can take \(Counted.text(wanted.cpus, "CPU")), \(wanted.memory) memory, \(wanted.disk) disk"
        guard !details.hosts.isEmpty else { return KennelError(.noCapacity, head + ": no hosts", details: details) }
        let counts = details.filtered.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let shown = details.hosts.prefix(8).map { "host \($0.host): \($0.reason)" }
        let more = details.hosts.count > 8 ? ["and \(details.hosts.count - 8) more"] : []
        let field = CapacityRefusal.field(request, details)
        let beyond = field.flatMap { CapacityRefusal.beyondLargest($0, request, candidates, scope: scope) }.map { $0 + "; " } ?? ""
        return KennelError(
            .noCapacity, beyond + head + " (filtered \(counts)): " + (shown + more).joined(separator: "; "), field: field, details: details)
    }

    static func strictRefusal(_ request: PlacementRequest, _ candidates: [HostCandidate], _ rackLoad: [Int]) -> KennelError {
        let details = PlacementReport.refusals(request, candidates, strictLoad: rackLoad)
        let racks = Set(candidates.filter { HostFilter.passesExplained($0, request) }.map { "\($0.host.location.zone)/\($0.host.location.rack)" })
        return KennelError(
            .spreadImpossible,
            "strict spread: every eligible rack (\(racks.sorted().joined(separator: ", "))) already holds a machine of service \(request.service?.value ?? "")",
            field: "spread", details: details
        )
    }
}
