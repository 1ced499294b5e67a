import KennelModel

/// One filter stage: a fast check, and the words for a refusal (built only when a
/// decision has to be explained).
struct HostFilter: Sendable {
    let name: String
    let passes: @Sendable (HostCandidate, PlacementRequest) -> Bool
    let reason: @Sendable (HostCandidate, PlacementRequest) -> String

    /// The filters, in the order they are applied and reported.
    static let all: [HostFilter] = [
        HostFilter(name: "state", passes: { c, _ in c.host.state == .active }, reason: { c, _ in "state is \(c.host.state.rawValue)" }),
        HostFilter(name: "idc", passes: { c, r in c.host.location.idc == r.idc }, reason: { c, _ in "in IDC \(c.host.location.idc)" }),
        HostFilter(
            name: "zone", passes: { c, r in r.zone.map { $0 == c.host.location.zone } ?? true },
            reason: { c, _ in "in zone \(c.host.location.zone)" }),
        HostFilter(
            name: "rack", passes: { c, r in r.rack.map { $0 == c.host.location.rack } ?? true },
            reason: { c, _ in "in rack \(c.host.location.rack)" }),
        HostFilter(
            name: "class", passes: { c, r in r.hostClass.map { $0 == c.host.hostClass } ?? true },
            reason: { c, r in "class is \(c.host.hostClass?.value ?? "none"), not \(r.hostClass?.value ?? "")" }),
        HostFilter(
            name: "labels", passes: { c, r in r.hostLabels.allSatisfy(c.host.labels.contains) },
            reason: { c, r in "lacks labels \(r.hostLabels.filter { !c.host.labels.contains($0) }.map(\.value).joined(separator: ","))" }),
        HostFilter(
            name: "vlan", passes: { c, r in c.host.vlans.contains(where: r.vlans.contains) },
            reason: { _, r in "bridge trunks no VLAN of a pool with free addresses (\(r.vlans.sorted().map(\.description).joined(separator: ",")))" }),
        HostFilter(
            name: "cpu", passes: { c, r in c.free.cpus >= r.resources.cpus },
            reason: { c, r in "cpus \(c.free.cpus) free < \(r.resources.cpus) requested" }),
        HostFilter(
            name: "memory", passes: { c, r in c.free.memory >= r.resources.memory },
            reason: { c, r in "memory \(c.free.memory) free < \(r.resources.memory) requested" }),
        HostFilter(
            name: "disk", passes: { c, r in c.free.disk >= r.resources.disk },
            reason: { c, r in "disk \(c.free.disk) free < \(r.resources.disk) requested" }),
        HostFilter(
            name: "bandwidth", passes: { c, r in c.free.ingress >= r.resources.ingress && c.free.egress >= r.resources.egress },
            reason: { c, r in
                "bandwidth in \(Bandwidth(bitsPerSecond: c.free.ingress)) / out \(Bandwidth(bitsPerSecond: c.free.egress)) free < "
                    + "\(Bandwidth(bitsPerSecond: r.resources.ingress)) / \(Bandwidth(bitsPerSecond: r.resources.egress)) requested"
            }),
    ]

    /// Whether candidate `i` passes every filter: the fast path, straight-line and
    /// cheapest checks first, fields read in place (no copy of the candidate or its
    /// host), no strings built. It must agree with `all`; a test holds the two together.
    static func passesAll(_ candidates: [HostCandidate], _ i: Int, _ r: PlacementRequest, _ vlans: VLANMask) -> Bool {
        guard candidates[i].free.cpus >= r.resources.cpus,
            candidates[i].free.memory.bytes >= r.resources.memory.bytes,
            candidates[i].free.disk.bytes >= r.resources.disk.bytes,
            candidates[i].free.ingress >= r.resources.ingress,
            candidates[i].free.egress >= r.resources.egress,
            candidates[i].box.host.state == .active,
            candidates[i].box.host.location.idc == r.idc
        else { return false }
        if let zone = r.zone, candidates[i].box.host.location.zone != zone { return false }
        if let rack = r.rack, candidates[i].box.host.location.rack != rack { return false }
        if let hostClass = r.hostClass, candidates[i].box.host.hostClass != hostClass { return false }
        if !r.hostLabels.isEmpty, !r.hostLabels.allSatisfy(candidates[i].box.host.labels.contains) { return false }
        for vlan in candidates[i].box.host.vlans where vlans.contains(vlan) { return true }
        return false
    }

    /// Whether the candidate passes every filter, by the explained filters.
    static func passesExplained(_ candidate: HostCandidate, _ request: PlacementRequest) -> Bool {
        firstRefusal(candidate, request) == nil
    }

    /// The first filter the candidate fails, with the reason.
    static func firstRefusal(_ candidate: HostCandidate, _ request: PlacementRequest) -> (filter: String, reason: String)? {
        for filter in all where !filter.passes(candidate, request) { return (filter.name, filter.reason(candidate, request)) }
        return nil
    }
}

/// The VLANs of a request as 4096 bits: membership is one shift and mask.
struct VLANMask {
    private var words = [UInt64](repeating: 0, count: 64)

    init(_ vlans: Set<VLANID>) {
        for vlan in vlans { words[vlan.value >> 6] |= 1 << UInt64(vlan.value & 63) }
    }

    func contains(_ vlan: VLANID) -> Bool { words[vlan.value >> 6] & (1 << UInt64(vlan.value & 63)) != 0 }
}
