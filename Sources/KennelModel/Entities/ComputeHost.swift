/// The lifecycle state of a host; only `active` hosts receive new machines.
public enum HostState: String, Sendable, Codable, CaseIterable {
    case active, draining, maintenance, down
}

/// A physical host that runs machines, reached through a libvirt URI.
public struct ComputeHost: Hashable, Sendable, Codable {
    /// Unique host name.
    public let name: Hostname
    /// libvirt connection URI: `lxc:///system`, `lxc+ssh://root@h/system`, or a
    /// `test:///path.xml` simulation.
    public let uri: String
    /// IDC › zone › rack.
    public let location: SiteLocation
    /// Physical capacity.
    public let capacity: Resources
    /// How far capacity may be promised.
    public let overcommit: Overcommit
    /// The Open vSwitch bridge machines attach to.
    public let bridge: String
    /// The VLANs the bridge's uplink trunks.
    public let vlans: [VLANID]
    /// Lifecycle state.
    public let state: HostState

    /// Creates a host record.
    public init(
        name: Hostname, uri: String, location: SiteLocation, capacity: Resources,
        overcommit: Overcommit = Overcommit(), bridge: String, vlans: [VLANID], state: HostState = .active
    ) {
        self.name = name
        self.uri = uri
        self.location = location
        self.capacity = capacity
        self.overcommit = overcommit
        self.bridge = bridge
        self.vlans = vlans
        self.state = state
    }
}
