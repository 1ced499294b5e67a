import Foundation
import KennelGuest
import KennelModel

/// Everything that goes into a machine's libvirt LXC domain, as plain values.
public struct DomainDefinition: Sendable, Equatable {
    public var name: String
    public var uuid: UUID
    public var memoryKiB: UInt64
    /// The memory soft limit, KiB; nil for none.
    public var memorySoftKiB: UInt64?
    /// The limit of memory plus swap, KiB (`memory` + `swap`); nil when swap is not limited.
    public var swapHardKiB: UInt64?
    public var vcpus: Int
    /// Relative CPU weight under contention (`cpu.shares`), 1024 per CPU.
    public var cpuShares: Int
    /// CFS period in µs; with `cpuQuota` it caps the machine at `vcpus` CPUs.
    public var cpuPeriod: Int
    public var cpuQuota: Int
    /// The container's PID 1 and its arguments.
    public var initPath: String
    public var initArguments: [String]
    /// Host directory holding the machine's root filesystem: where its volume is mounted.
    public var rootfs: String
    /// The block device of the machine's volume, when known: what IO limits apply to.
    public var blockDevice: String?
    /// Throttles on that block device.
    public var diskIO: DiskIOLimits
    public var bridge: String
    public var mac: MACAddress
    public var vlan: VLANID
    public var ip: IPv4Address
    public var prefix: Int
    public var gateway: IPv4Address

    /// The definition of `machine` on `host`, with files laid out by `paths`.
    ///
    /// The container runs Kennel's `kennel-init` as PID 1, which starts sshd and becomes
    /// supervisord (in the foreground), which supervises sshd and the machine's programs.
    /// Bandwidth limits are applied with tc after start, not through
    /// `<bandwidth>` (libvirt needs the tc `police` action for that, absent on some kernels).
    public init(machine: Machine, host: ComputeHost, paths: HostPaths, blockDevice: String? = nil) {
        let cpus = machine.spec.cpus.value
        name = machine.name.value
        uuid = machine.uuid
        memoryKiB = machine.spec.memory.kibibytes
        memorySoftKiB = machine.spec.memoryLimits.soft?.kibibytes
        swapHardKiB = machine.spec.memoryLimits.swap.map { machine.spec.memory.kibibytes + $0.kibibytes }
        vcpus = cpus
        cpuShares = 1024 * cpus
        cpuPeriod = 100_000
        cpuQuota = 100_000 * cpus
        initPath = GuestInit.path
        initArguments = []
        rootfs = paths.rootfs(of: machine.name)
        self.blockDevice = blockDevice
        diskIO = machine.spec.diskIO
        bridge = host.bridge
        mac = machine.network.mac
        vlan = machine.network.vlan
        ip = machine.network.ip
        prefix = machine.network.prefix
        gateway = machine.network.gateway
    }
}
