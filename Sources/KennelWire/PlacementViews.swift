import KennelModel
import KennelPlacement

/// The answer to a placement dry run.
public struct PlacementView: Codable, Sendable {
    public struct Ranked: Codable, Sendable {
        public let host: String
        public let zone: String
        public let rack: String
        public let rackServiceMachines: Int
        public let hostServiceMachines: Int
        public let freeShare: Double

        enum CodingKeys: String, CodingKey {
            case host, zone, rack
            case rackServiceMachines = "rack_service_machines"
            case hostServiceMachines = "host_service_machines"
            case freeShare = "free_share"
        }
    }

    public struct Refusal: Codable, Sendable {
        public let code: String
        public let message: String
    }

    public let placeable: Bool
    public let host: String?
    public let zone: String?
    public let rack: String?
    public let error: Refusal?
    /// Hosts that passed every filter, best first.
    public let ranking: [Ranked]
    /// Hosts stopped per filter.
    public let filtered: [String: Int]
    /// Every refused host with its reason.
    public let refused: [RefusalDetails.HostReason]

    /// The view of a report.
    public init(_ report: PlacementReport) {
        placeable = report.chosen != nil
        host = report.chosen?.name.value
        zone = report.chosen?.location.zone.value
        rack = report.chosen?.location.rack.value
        error = report.error.map { Refusal(code: $0.code.rawValue, message: $0.message) }
        ranking = report.ranking.map {
            Ranked(
                host: $0.host.name.value, zone: $0.host.location.zone.value, rack: $0.host.location.rack.value,
                rackServiceMachines: $0.rackServiceMachines, hostServiceMachines: $0.hostServiceMachines,
                freeShare: ($0.freeShare * 1000).rounded() / 1000)
        }
        filtered = report.refusals.filtered
        refused = report.refusals.hosts
    }
}

/// The answer to a spread report.
public struct SpreadView: Codable, Sendable {
    public struct IDC: Codable, Sendable {
        public let idc: String
        public let machines: Int
        public let skew: Int
        public let share: Int
        public let zones: [Zone]
    }

    public struct Zone: Codable, Sendable {
        public let zone: String
        public let machines: Int
        public let racks: [Rack]
    }

    public struct Rack: Codable, Sendable {
        public let rack: String
        public let machines: Int
        public let overShare: Bool

        enum CodingKeys: String, CodingKey {
            case rack, machines
            case overShare = "over_share"
        }
    }

    public let service: String
    public let machines: Int
    public let idcs: [IDC]

    /// The view of a report.
    public init(_ report: SpreadReport) {
        service = report.service.value
        machines = report.idcs.map(\.machines).reduce(0, +)
        idcs = report.idcs.map { idc in
            let zones = Dictionary(grouping: idc.racks, by: \.location.zone).sorted { $0.key < $1.key }
            return IDC(
                idc: idc.idc.value, machines: idc.machines, skew: idc.skew, share: idc.share,
                zones: zones.map { zone, racks in
                    Zone(
                        zone: zone.value, machines: racks.map(\.machines).reduce(0, +),
                        racks: racks.map { Rack(rack: $0.location.rack.value, machines: $0.machines, overShare: $0.overShare) })
                })
        }
    }
}
