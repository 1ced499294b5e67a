/// What a bandwidth self-test measured: for each direction, the machine's limit beside
/// what TCP achieved between the machine and a peer on its VLAN.
public struct BandwidthReport: Sendable, Equatable, Codable {
    /// The peer's address (a probe the host set up on the machine's VLAN for the test).
    public let peer: IPv4Address
    public let vlan: VLANID
    /// How long each direction was measured (a first second of TCP slow start is left out).
    public let seconds: Int
    /// Out of the machine.
    public let egress: BandwidthResult
    /// Into the machine.
    public let ingress: BandwidthResult

    public init(peer: IPv4Address, vlan: VLANID, seconds: Int, egress: BandwidthResult, ingress: BandwidthResult) {
        self.peer = peer
        self.vlan = vlan
        self.seconds = seconds
        self.egress = egress
        self.ingress = ingress
    }

    /// The report of `machine`'s limits beside what was achieved each way.
    public init(of machine: Machine, peer: IPv4Address, seconds: Int, achieved: BandwidthSample) {
        self.init(
            peer: peer, vlan: machine.network.vlan, seconds: seconds,
            egress: BandwidthResult(configured: machine.spec.egress, achievedBitsPerSecond: achieved.egressBitsPerSecond),
            ingress: BandwidthResult(configured: machine.spec.ingress, achievedBitsPerSecond: achieved.ingressBitsPerSecond))
    }
}

/// One direction of a bandwidth self-test.
public struct BandwidthResult: Sendable, Equatable, Codable {
    /// The machine's limit that way; nil when it has none.
    public let configured: Bandwidth?
    public let configuredBitsPerSecond: UInt64?
    /// What the receiving end counted, in bits per second.
    public let achievedBitsPerSecond: UInt64
    /// Achieved over configured, to three decimals (0.962 is 96.2 %); nil without a limit.
    public let ratio: Double?

    enum CodingKeys: String, CodingKey {
        case configured, ratio
        case configuredBitsPerSecond = "configured_bps"
        case achievedBitsPerSecond = "achieved_bps"
    }

    public init(configured: Bandwidth?, achievedBitsPerSecond: UInt64) {
        self.configured = configured
        configuredBitsPerSecond = configured?.bitsPerSecond
        self.achievedBitsPerSecond = achievedBitsPerSecond
        ratio = configured.map { limit in (Double(achievedBitsPerSecond) / Double(limit.bitsPerSecond) * 1000).rounded() / 1000 }
    }

    /// The ratio as a whole percentage, nil without a limit.
    public var percent: Int? { ratio.map { Int(($0 * 100).rounded()) } }
}

/// What a host measured each way, in bits per second counted by the receiver.
public struct BandwidthSample: Sendable, Equatable, Codable {
    public let egressBitsPerSecond: UInt64
    public let ingressBitsPerSecond: UInt64

    public init(egressBitsPerSecond: UInt64, ingressBitsPerSecond: UInt64) {
        self.egressBitsPerSecond = egressBitsPerSecond
        self.ingressBitsPerSecond = ingressBitsPerSecond
    }
}

/// What an operation produced beyond the machine it acted on, by kind: a bandwidth
/// self-test's report, an import's outcome.
public struct OperationResult: Sendable, Equatable, Codable {
    public var bandwidth: BandwidthReport?
    public var imported: ImportSummary?

    public init(bandwidth: BandwidthReport? = nil, imported: ImportSummary? = nil) {
        self.bandwidth = bandwidth
        self.imported = imported
    }
}
