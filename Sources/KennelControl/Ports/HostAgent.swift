import Foundation
import KennelModel

/// A running container as its host sees it.
public struct ContainerProcess: Sendable, Equatable, Codable {
    /// PID of libvirt's `libvirt_lxc` controller (the domain's id); the container's init
    /// is its child.
    public let controllerPID: Int32
    /// The host side of the container's network interface (`vnet0`), when known.
    public let hostInterface: String?

    public init(controllerPID: Int32, hostInterface: String?) {
        self.controllerPID = controllerPID
        self.hostInterface = hostInterface
    }
}

/// Host-side steps libvirt cannot do, one port per concern, each with its own request
/// and driver on the host (`kennel node`, reached locally or over SSH). A host agent is
/// all of them.
public typealias HostAgent = RootfsAgent & IdentityAgent & NetworkAgent & InspectionAgent & HostFactsAgent & DiskUsageAgent
    & ConfinementAgent

/// Root filesystems: each machine's on a volume of its own (`HostVolumes`, driven by the
/// host's `volumes` setting), cloned from its image once, grown, and removed with it.
public protocol RootfsAgent: Sendable {
    /// Gives the machine its volume of `machine.spec.disk` from its image once, attaches
    /// and mounts it every time; nil for a machine made before volumes (a directory).
    func provision(_ launch: MachineLaunch, volumes: VolumeConfig) async throws -> VolumeStatus?
    /// Brings the machine's volume and filesystem to `machine.spec.disk`: grown (online
    /// while it runs) or, smaller, shrunk offline where its filesystem can.
    func resize(_ machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus
    /// The machine's volume as it is now; nil when it has none.
    func volume(of machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus?
    /// Removes the machine's volume and files from the host; no-op when gone.
    func remove(_ machine: Machine, volumes: VolumeConfig) async throws
    /// Removes the host's image templates of versions not in `keeping`; answers those removed.
    func pruneImages(volumes: VolumeConfig, keeping: Set<String>) async throws -> [String]
}

/// The machine's identity inside its root filesystem: hostname, hosts, machine-id,
/// resolv.conf, network config, `authorized_keys`, and its own SSH host keys.
public protocol IdentityAgent: Sendable {
    /// Writes the identity files (every time, so a start repairs them) and makes the
    /// SSH host keys once.
    /// Answers the machine's SSH host public keys (nil from a node too old to say).
    func writeIdentity(_ launch: MachineLaunch) async throws -> [SSHPublicKey]?
    /// Rewrites who may log in while the machine runs: its key list only, never
    /// following a link the guest made.
    func writeAccess(_ access: MachineAccess) async throws
}

/// Host-side network fixes once a container runs.
public protocol NetworkAgent: Sendable {
    /// Applies what the host needs once the container runs: checksum offload off on
    /// userspace-datapath bridges, and the machine's bandwidth shaped both ways.
    func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws
    /// The UUIDs of the running `machines` whose port rules or inbound shaping are missing.
    func audit(_ machines: [Machine], bridge: String) async throws -> Set<UUID>
    /// Removes what `attach` put on the host's bridge for the machine (its port rules).
    func release(_ machine: Machine, bridge: String) async throws
    /// Shapes the running container's bandwidth both ways to `machine.spec` again.
    func shape(_ machine: Machine, container: ContainerProcess) async throws
    /// Measures TCP both ways between the running container and a probe the host sets up
    /// at `peer` on the machine's VLAN for `seconds` each, then removes the probe.
    func measureBandwidth(_ machine: Machine, container: ContainerProcess, bridge: String, peer: IPv4Address, seconds: Int) async throws
        -> BandwidthSample
    /// Removes every bandwidth probe on the host; answers how many there were.
    func removeProbes(bridge: String) async throws -> Int
}

/// Keeping root in a container inside it: its tasks capped (`ProcessLimit`) and its view
/// of the host's cgroup hierarchies made read-only (`ConfinementUpkeep`).
public protocol ConfinementAgent: Sendable {
    /// Caps the running container's tasks at the machine's `processLimit` and makes its
    /// cgroup mounts read-only (nothing to do for mounts that are).
    func confine(_ machine: Machine, container: ContainerProcess) async throws
    /// Does the same for every running container on the host, `machines` giving their
    /// limits (a container of none keeps the limit it has); answers the names of the
    /// machines whose mounts were still writable.
    func confineAll(_ machines: [Machine]) async throws -> [String]
    /// Removes what capped the machine's tasks on the host (after its container ended).
    func releaseConfinement(of machine: Machine) async throws
}

/// Looking inside a running container.
public protocol InspectionAgent: Sendable {
    /// Waits up to `timeout` for sshd inside the container to answer on the machine's IP.
    func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool
    /// sshd and the supervisord programs inside the container.
    func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth
}

/// How much of the host's disk machines' root filesystems take.
public protocol DiskUsageAgent: Sendable {
    /// The bytes each machine's files take on the host (allocated, not apparent), by
    /// name; machines without files are left out.
    func diskUsed(by machines: [Hostname]) async throws -> [Hostname: UInt64]
}

extension DiskUsageAgent {
    /// Agents that cannot measure say nothing.
    public func diskUsed(by machines: [Hostname]) async throws -> [Hostname: UInt64] { [:] }
}
