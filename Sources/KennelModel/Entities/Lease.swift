import Foundation

/// Whether a leased address belongs to a machine or is resting after its machine was deleted.
public enum LeaseState: String, Sendable, Codable {
    case active, quarantined
}

/// One address of a pool held by a machine (or, while quarantined, by its memory).
public struct Lease: Hashable, Sendable, Codable {
    public let pool: Hostname
    public let address: IPv4Address
    public let mac: MACAddress
    /// The machine holding it, or the machine that held it while quarantined.
    public let machine: Hostname
    public let state: LeaseState
    public let releasedAt: Date?
    public let quarantinedUntil: Date?

    /// Creates a lease record.
    public init(
        pool: Hostname, address: IPv4Address, mac: MACAddress, machine: Hostname, state: LeaseState,
        releasedAt: Date? = nil, quarantinedUntil: Date? = nil
    ) {
        self.pool = pool
        self.address = address
        self.mac = mac
        self.machine = machine
        self.state = state
        self.releasedAt = releasedAt
        self.quarantinedUntil = quarantinedUntil
    }
}

/// How a pool's addresses are used right now.
public struct PoolUsage: Hashable, Sendable, Codable {
    /// Addresses the pool can hand out in all.
    public let size: UInt64
    /// Addresses held by machines.
    public let used: UInt64
    /// Addresses resting after release.
    public let quarantined: UInt64
    /// Addresses that can be handed out now.
    public let free: UInt64

    /// Creates a usage summary.
    public init(size: UInt64, used: UInt64, quarantined: UInt64, free: UInt64) {
        self.size = size
        self.used = used
        self.quarantined = quarantined
        self.free = free
    }
}
