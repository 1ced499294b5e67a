import KennelModel

/// What a new machine needs from a host.
public struct PlacementRequest: Sendable, Equatable {
    public let idc: Hostname
    public let zone: Hostname?
    public let resources: Resources
    /// The VLAN the machine's pool is on; the host's bridge must trunk it.
    public let vlan: VLANID
    /// The spread group, if any.
    public let service: Label?

    /// Creates a request.
    public init(idc: Hostname, zone: Hostname?, resources: Resources, vlan: VLANID, service: Label?) {
        self.idc = idc
        self.zone = zone
        self.resources = resources
        self.vlan = vlan
        self.service = service
    }
}
