/// The lifecycle state of a host; only `active` hosts receive new machines.
public enum HostState: String, Sendable, Codable, CaseIterable {
    case active, draining, maintenance, down
}

/// A physical host that runs machines, reached through a libvirt URI.
public struct ComputeHost: Hashable, Sendable, Codable {
    /// Unique host name.
    public let name: Hostname
    /// libvirt connection URI, parsed once: `lxc:///system`, `lxc+ssh://root@h/system`,
    /// or a `test:///path.xml` simulation.
    public var uri: HostURI
    /// IDC › zone › rack.
    public let location: SiteLocation
    /// Physical capacity.
    public var capacity: Resources
    /// How far capacity may be promised.
    public var overcommit: Overcommit
    /// The Open vSwitch bridge machines attach to.
    public var bridge: String
    /// The VLANs the bridge's uplink trunks.
    public var vlans: [VLANID]
    /// Lifecycle state.
    public var state: HostState
    /// NIC capacity in each direction; nil when bandwidth is not accounted.
    public var bandwidth: Bandwidth?
    /// The host class (`general`, `highmem`, …) requests may ask for.
    public var hostClass: Label?
    /// Free-form tags (`ssd`, `gpu=t4`) requests may require.
    public var labels: [Label]
    /// Where the host keeps machines' root filesystem volumes.
    public var volumes: VolumeConfig

    /// Creates a host record.
    public init(
        name: Hostname, uri: String, location: SiteLocation, capacity: Resources,
        overcommit: Overcommit = Overcommit(), bridge: String, vlans: [VLANID], state: HostState = .active,
        bandwidth: Bandwidth? = nil, hostClass: Label? = nil, labels: [Label] = [],
        volumes: VolumeConfig = .standard
    ) {
        self.name = name
        self.uri = HostURI(uri)
        self.location = location
        self.capacity = capacity
        self.overcommit = overcommit
        self.bridge = bridge
        self.vlans = vlans
        self.state = state
        self.bandwidth = bandwidth
        self.hostClass = hostClass
        self.labels = labels
        self.volumes = volumes
    }
}

extension ComputeHost {
    /// What may be promised on the host in all: capacity times overcommit, rounded
    /// down; bandwidth as accounted (unlimited when it is not). The one place placement,
    /// refusals and host updates take it from.
    public var schedulable: Resources {
        Resources(
            cpus: Int((Double(capacity.cpus) * overcommit.cpu).rounded(.down)),
            memory: ByteSize(bytes: UInt64((Double(capacity.memory.bytes) * overcommit.memory).rounded(.down))),
            disk: ByteSize(bytes: UInt64((Double(capacity.disk.bytes) * overcommit.disk).rounded(.down))),
            ingress: bandwidth.map { Self.scaled($0.bitsPerSecond, by: overcommit.bandwidth) } ?? .max,
            egress: bandwidth.map { Self.scaled($0.bitsPerSecond, by: overcommit.bandwidth) } ?? .max)
    }

    private static func scaled(_ bits: UInt64, by ratio: Double) -> UInt64 {
        let scaled = (Double(bits) * ratio).rounded(.down)
        return scaled >= Double(UInt64.max) ? .max : UInt64(scaled)
    }

    /// What is left to promise once machines reserve `used`: `schedulable` less `used`,
    /// never below zero. What placement and a disk grow both check against.
    public func free(after used: Resources) -> Resources {
        let schedulable = schedulable
        func left(_ total: UInt64, _ taken: UInt64) -> UInt64 { total > taken ? total - taken : 0 }
        return Resources(
            cpus: max(schedulable.cpus - used.cpus, 0),
            memory: ByteSize(bytes: left(schedulable.memory.bytes, used.memory.bytes)),
            disk: ByteSize(bytes: left(schedulable.disk.bytes, used.disk.bytes)),
            ingress: left(schedulable.ingress, used.ingress), egress: left(schedulable.egress, used.egress))
    }
}
