import KennelModel

/// What a running machine has used, as its host counts it (the container's cgroup and
/// the host side of its network interface), so that nothing inside the machine can
/// change the figures.
public struct MachineUsage: Sendable, Equatable, Codable {
    /// CPU time consumed since the container started, in seconds.
    public var cpuSeconds: Double
    /// Memory in use now (the cgroup's usage), in bytes.
    public var memoryBytes: UInt64
    /// Bytes the machine received on its interface since it started.
    public var receivedBytes: UInt64
    /// Bytes the machine sent on its interface since it started.
    public var sentBytes: UInt64
    /// Bytes its root filesystem takes on the host; nil until measured.
    public var diskUsedBytes: UInt64?

    public init(cpuSeconds: Double, memoryBytes: UInt64, receivedBytes: UInt64, sentBytes: UInt64, diskUsedBytes: UInt64? = nil) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
        self.diskUsedBytes = diskUsedBytes
    }
}

/// Reads machines' usage from their host: the counters in one cheap pass, the disk
/// (a walk of each root filesystem) separately, as it costs more. Hosts without real
/// guests (simulated ones) answer nothing.
public protocol UsageReader: Sendable {
    /// The counters of those of `machines` that run on `host`, by name.
    func counters(of machines: [Machine], on host: ComputeHost) async throws -> [Hostname: MachineUsage]
    /// The bytes each of `machines`' root filesystems takes on `host`, by name.
    func diskUsed(by machines: [Machine], on host: ComputeHost) async throws -> [Hostname: UInt64]
}
