import KennelControl
import KennelModel

/// The site topology as the API shows it: IDCs › zones › racks. The CLI decodes it too.
public struct TopologyView: Codable, Sendable {
    public struct Zone: Codable, Sendable {
        public let name: String
        public let racks: [String]
    }

    public struct IDC: Codable, Sendable {
        public let name: String
        public let zones: [Zone]
    }

    public let idcs: [IDC]

    /// Nests flat lists of IDCs, zones and racks.
    public init(idcs: [Hostname], zones: [ZoneKey], racks: [SiteLocation]) {
        self.idcs = idcs.map { idc in
            IDC(
                name: idc.value,
                zones: zones.filter { $0.idc == idc }.map { zone in
                    Zone(name: zone.zone.value, racks: racks.filter { $0.idc == idc && $0.zone == zone.zone }.map(\.rack.value))
                })
        }
    }
}

/// A created IDC, zone or rack, as `POST /api/v1/idcs|zones|racks` answers it:
/// `{"idc":"dc1","zone":"z1","rack":"r1","kind":"rack"}`.
public struct SiteObjectView: Codable, Sendable {
    public let kind: String
    public let idc: String
    public let zone: String?
    public let rack: String?

    /// A created IDC, a zone of it, or a rack of that zone.
    public init(idc: String, zone: String? = nil, rack: String? = nil) {
        kind = rack != nil ? "rack" : zone != nil ? "zone" : "idc"
        self.idc = idc
        self.zone = zone
        self.rack = rack
    }
}
