import Foundation

/// The lifecycle state of a machine.
public enum MachineState: String, Sendable, Codable, CaseIterable {
    /// Accepted, nothing done on a host yet.
    case pending
    /// ComputeHost steps under way.
    case provisioning
    /// Its container runs.
    case running
    /// Defined on its host but not running.
    case stopped
    /// Being removed from its host.
    case deleting
    /// A host step failed; `Machine.failure` says which.
    case failed
    /// In the inventory (name, address, MAC, host), taken in by an import with
    /// `records_only`, and never built on its host: its first `start` builds it.
    case imported
}

/// What a machine is given: CPUs, memory, disk, image and optional bandwidth limits.
public struct MachineSpec: Hashable, Sendable, Codable {
    public var cpus: CPUCount
    public var memory: ByteSize
    public var disk: ByteSize
    public var image: ImageName
    /// Limit on traffic into the machine.
    public var ingress: Bandwidth?
    /// Limit on traffic out of the machine.
    public var egress: Bandwidth?
    /// Throttles on the root volume.
    public var diskIO: DiskIOLimits
    /// The filesystem on the root volume.
    public var filesystem: FilesystemKind
    /// The memory soft limit and swap.
    public var memoryLimits: MemoryLimits

    /// Creates a spec.
    public init(
        cpus: CPUCount, memory: ByteSize, disk: ByteSize, image: ImageName,
        ingress: Bandwidth? = nil, egress: Bandwidth? = nil, diskIO: DiskIOLimits = DiskIOLimits(),
        filesystem: FilesystemKind = .xfs, memoryLimits: MemoryLimits = MemoryLimits()
    ) {
        self.cpus = cpus
        self.memory = memory
        self.disk = disk
        self.image = image
        self.ingress = ingress
        self.egress = egress
        self.diskIO = diskIO
        self.filesystem = filesystem
        self.memoryLimits = memoryLimits
    }

    /// What placement must reserve on a host for this spec.
    public var resources: Resources {
        Resources(
            cpus: cpus.value, memory: memory, disk: disk,
            ingress: ingress?.bitsPerSecond ?? 0, egress: egress?.bitsPerSecond ?? 0)
    }
}

/// A machine's address on its pool's VLAN; fixed for the machine's life.
public struct MachineNetwork: Hashable, Sendable, Codable {
    public let pool: Hostname
    public let ip: IPv4Address
    public let prefix: Int
    public let gateway: IPv4Address
    public let vlan: VLANID
    public let mac: MACAddress

    /// Creates the network identity of a machine.
    public init(pool: Hostname, ip: IPv4Address, prefix: Int, gateway: IPv4Address, vlan: VLANID, mac: MACAddress) {
        self.pool = pool
        self.ip = ip
        self.prefix = prefix
        self.gateway = gateway
        self.vlan = vlan
        self.mac = mac
    }
}

/// A long-lived system container that its users treat as a VM.
public struct Machine: Hashable, Sendable, Codable {
    /// Unique name, also its hostname.
    public let name: Hostname
    /// Stable identity, also the libvirt domain UUID.
    public let uuid: UUID
    public var state: MachineState
    public var spec: MachineSpec
    /// The host it runs on.
    public let host: Hostname
    /// Where that host stands.
    public let location: SiteLocation
    public let network: MachineNetwork
    /// The spread group: machines of one service are spread over racks.
    public let service: Label?
    /// A free label naming who owns it (a person, a cost centre); access follows `team`.
    public let owner: Label?
    /// The team whose members may see it (viewers) and change it (operators); nil for a
    /// machine only admins reach.
    public let team: Hostname?
    /// Keys allowed to log in as root, from the create request.
    public let sshKeys: [SSHPublicKey]
    /// Why the last host step failed, when `state` is `failed`.
    public var failure: String?
    public let createdAt: Date

    /// Creates a machine record.
    public init(
        name: Hostname, uuid: UUID, state: MachineState, spec: MachineSpec, host: Hostname,
        location: SiteLocation, network: MachineNetwork, service: Label?, owner: Label?,
        team: Hostname? = nil, sshKeys: [SSHPublicKey] = [], failure: String? = nil, createdAt: Date
    ) {
        self.name = name
        self.uuid = uuid
        self.state = state
        self.spec = spec
        self.host = host
        self.location = location
        self.network = network
        self.service = service
        self.owner = owner
        self.team = team
        self.sshKeys = sshKeys
        self.failure = failure
        self.createdAt = createdAt
    }
}
