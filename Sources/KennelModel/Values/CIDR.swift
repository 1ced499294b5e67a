/// An IPv4 network in CIDR notation, such as `10.100.0.0/24`. ComputeHost bits must be zero.
public struct CIDR: ParsableValue, Hashable, Codable {
    /// The network address (host bits zero).
    public let network: IPv4Address
    /// The prefix length, 0–32.
    public let prefix: Int

    /// Creates a network; fails if `network` has host bits set or `prefix` is out of range.
    public init(network: IPv4Address, prefix: Int) throws(InvalidValue) {
        guard (0...32).contains(prefix) else { throw InvalidValue("prefix must be 0–32") }
        let mask = CIDR.mask(prefix)
        guard network.value & ~mask == 0 else {
            throw InvalidValue("\(network)/\(prefix) has host bits set (network is \(IPv4Address(network.value & mask))/\(prefix))")
        }
        self.network = network
        self.prefix = prefix
    }

    public init(parsing text: String) throws(InvalidValue) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 2,
            parts[1].allSatisfy(\.isASCIIDigit), let prefix = Int(parts[1])
        else { throw InvalidValue("'\(Echo.short(text))' is not in CIDR notation (a.b.c.d/n)") }
        try self.init(network: IPv4Address(parsing: String(parts[0])), prefix: prefix)
    }

    /// The netmask as a 32-bit value.
    public var mask: UInt32 { CIDR.mask(prefix) }

    /// The broadcast address (all host bits set).
    public var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }

    /// The number of addresses in the network, network and broadcast included.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }

    /// Whether `address` lies inside the network.
    public func contains(_ address: IPv4Address) -> Bool { address.value & mask == network.value }

    /// Whether the two networks share any address.
    public func overlaps(_ other: CIDR) -> Bool { contains(other.network) || other.contains(network) }

    public var description: String { "\(network)/\(prefix)" }

    static func mask(_ prefix: Int) -> UInt32 {
        prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
    }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
