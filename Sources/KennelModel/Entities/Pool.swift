/// An IPv4 address pool: one L2 subnet on one VLAN, scoped to an IDC and optionally
/// to some of its zones.
public struct Pool: Hashable, Sendable, Codable {
    /// Unique pool name, e.g. `dc1-vlan100`.
    public let name: Hostname
    /// The subnet.
    public let cidr: CIDR
    /// The default gateway, inside the subnet and never handed out.
    public let gateway: IPv4Address
    /// The VLAN tag machines on this pool get.
    public let vlan: VLANID
    /// The IDC the pool serves.
    public let idc: Hostname
    /// The zones it serves; empty means every zone of the IDC.
    public let zones: [Hostname]

    /// Creates a pool; fails when the gateway lies outside the subnet.
    public init(
        name: Hostname, cidr: CIDR, gateway: IPv4Address, vlan: VLANID, idc: Hostname, zones: [Hostname] = []
    ) throws(KennelError) {
        guard cidr.contains(gateway) else {
            throw KennelError.invalid("gateway", "\(gateway) is outside \(cidr)")
        }
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.vlan = vlan
        self.idc = idc
        self.zones = zones
    }

    /// Whether the pool serves machines in `zone` of its IDC.
    public func serves(zone: Hostname) -> Bool { zones.isEmpty || zones.contains(zone) }
}
