/// An amount of the resources placement accounts for.
public struct Resources: Hashable, Sendable, Codable {
    /// Whole CPUs.
    public var cpus: Int
    /// Memory.
    public var memory: ByteSize
    /// Disk.
    public var disk: ByteSize
    /// Guaranteed inbound bandwidth, bits/s (a machine's ingress limit; 0 when unlimited).
    public var ingress: UInt64
    /// Guaranteed outbound bandwidth, bits/s.
    public var egress: UInt64

    /// Creates an amount of resources.
    public init(cpus: Int, memory: ByteSize, disk: ByteSize, ingress: UInt64 = 0, egress: UInt64 = 0) {
        self.cpus = cpus
        self.memory = memory
        self.disk = disk
        self.ingress = ingress
        self.egress = egress
    }

    /// Nothing at all.
    public static let zero = Resources(cpus: 0, memory: ByteSize(bytes: 0), disk: ByteSize(bytes: 0))

    /// The sum of two amounts.
    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        Resources(
            cpus: lhs.cpus + rhs.cpus, memory: lhs.memory + rhs.memory, disk: lhs.disk + rhs.disk,
            ingress: lhs.ingress + rhs.ingress, egress: lhs.egress + rhs.egress)
    }
}

/// How far a host's capacity may be promised beyond what it physically has.
public struct Overcommit: Hashable, Sendable, Codable {
    /// CPU ratio; 4.0 lets a host with 8 CPUs carry machines asking for 32.
    public var cpu: Double
    /// Memory ratio.
    public var memory: Double
    /// Disk ratio.
    public var disk: Double
    /// Bandwidth ratio: the machines' `ingress` (and `egress`) limits on a host may add up
    /// to its NIC's `bandwidth` times this (machines rarely all use their limit at once).
    public var bandwidth: Double

    /// Creates ratios; the defaults are those of the placement design (CPU 4, memory 1,
    /// disk 1, bandwidth 1).
    public init(cpu: Double = 4.0, memory: Double = 1.0, disk: Double = 1.0, bandwidth: Double = 1.0) {
        self.cpu = cpu
        self.memory = memory
        self.disk = disk
        self.bandwidth = bandwidth
    }

    /// Reads the ratios a site file gives; the others keep their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Overcommit()
        cpu = try container.decodeIfPresent(Double.self, forKey: .cpu) ?? defaults.cpu
        memory = try container.decodeIfPresent(Double.self, forKey: .memory) ?? defaults.memory
        disk = try container.decodeIfPresent(Double.self, forKey: .disk) ?? defaults.disk
        bandwidth = try container.decodeIfPresent(Double.self, forKey: .bandwidth) ?? defaults.bandwidth
    }

    private enum CodingKeys: String, CodingKey { case cpu, memory, disk, bandwidth }
}
