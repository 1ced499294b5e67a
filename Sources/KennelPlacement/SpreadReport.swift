import KennelModel

/// Where one service's machines stand, rack by rack, and whether any rack holds more
/// than its share: the standing check that spread still holds after deletions or moves.
public struct SpreadReport: Sendable, Equatable {
    public struct Rack: Sendable, Equatable {
        public let location: SiteLocation
        public let machines: Int
        /// More machines than the IDC's share.
        public let overShare: Bool
    }

    public struct IDC: Sendable, Equatable {
        public let idc: Hostname
        public let machines: Int
        /// Most machines in one rack minus fewest, over the racks of the zones the service uses.
        public let skew: Int
        /// ⌈machines ÷ those racks⌉: the most a rack should hold.
        public let share: Int
        public let racks: [Rack]
    }

    public let service: Label
    public let idcs: [IDC]

    /// The report for `service`, whose machines stand at `machines`, over every `racks`.
    public init(service: Label, machines: [SiteLocation], racks: [SiteLocation]) {
        self.service = service
        var counts: [SiteLocation: Int] = [:]
        for location in machines { counts[location, default: 0] += 1 }
        let allRacks = Set(racks).union(counts.keys)
        idcs = Dictionary(grouping: allRacks, by: \.idc).map { idc, racks in
            let sorted = racks.sorted { ($0.zone, $0.rack) < ($1.zone, $1.rack) }
            // The service's footprint: racks of the zones where it has machines. A service
            // kept in one zone is judged over that zone's racks, not the whole IDC's.
            let zones = Set(sorted.filter { counts[$0, default: 0] > 0 }.map(\.zone))
            let footprint = sorted.filter { zones.contains($0.zone) }.map { counts[$0, default: 0] }
            let total = footprint.reduce(0, +)
            let share = footprint.isEmpty ? 0 : (total + footprint.count - 1) / footprint.count
            return IDC(
                idc: idc, machines: total, skew: (footprint.max() ?? 0) - (footprint.min() ?? 0), share: share,
                racks: sorted.map { Rack(location: $0, machines: counts[$0, default: 0], overShare: counts[$0, default: 0] > share) }
            )
        }.filter { $0.machines > 0 }.sorted { $0.idc < $1.idc }
    }
}
