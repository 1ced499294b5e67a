/// Where a host or machine stands in the site topology: IDC › zone › rack.
/// Racks come from inventory and are never inferred.
public struct SiteLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The data centre.
    public let idc: Hostname
    /// The availability zone inside the IDC.
    public let zone: Hostname
    /// The rack inside the zone.
    public let rack: Hostname

    /// Creates a location from its three names.
    public init(idc: Hostname, zone: Hostname, rack: Hostname) {
        self.idc = idc
        self.zone = zone
        self.rack = rack
    }

    public var description: String { "\(idc)/\(zone)/\(rack)" }
}
