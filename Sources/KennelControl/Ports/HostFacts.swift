import KennelModel

/// What a host is, as ops and later drivers need to know it: its kernel, its libvirt,
/// its Open vSwitch datapath, and what the directory its volumes take space from can do.
public struct HostFacts: Sendable, Equatable, Codable {
    /// `uname -r`.
    public var kernel: String?
    /// The libvirt daemon's library version, `9.0.0`.
    public var libvirt: String?
    /// The bridge's OVS datapath: `system` (kernel) or `netdev` (userspace).
    public var ovsDatapath: String?
    /// Whether the volume directory (loop files; the machines directory for LVM) clones
    /// files with reflink (XFS, btrfs).
    public var reflink: Bool?
    /// Free bytes in that directory's filesystem.
    public var freeBytes: UInt64?

    public init(kernel: String? = nil, libvirt: String? = nil, ovsDatapath: String? = nil, reflink: Bool? = nil, freeBytes: UInt64? = nil) {
        self.kernel = kernel
        self.libvirt = libvirt
        self.ovsDatapath = ovsDatapath
        self.reflink = reflink
        self.freeBytes = freeBytes
    }
}

/// The host-facts concern of a host's agent, a port of its own: it has its own request
/// and reply on the node channel, and its own driver on the host.
public protocol HostFactsAgent: Sendable {
    /// The facts the host itself knows (everything but libvirt's version, which the
    /// runtime asks libvirt for).
    /// `volumes` says where the host keeps volumes, whose reflink and free space count.
    func facts(bridge: String, volumes: VolumeConfig) async throws -> HostFacts
}
