/// An Ethernet MAC address. Kennel's own are locally administered unicast addresses
/// derived from the machine's IPv4 address, so they are stable for the machine's life.
public struct MACAddress: ParsableValue, Hashable, Codable {
    /// The six octets, first one first.
    public let octets: [UInt8]

    /// The MAC `52:54:a:b:c:d` for IPv4 address `a.b.c.d`: locally administered
    /// (bit 1 of the first octet set), unicast (bit 0 clear), and unique while IPs are.
    public init(derivedFrom address: IPv4Address) {
        octets = [0x52, 0x54] + address.octets
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with `-`). Multicast and all-zero addresses are refused.
    public init(parsing text: String) throws(InvalidValue) {
        let separator: Character = text.contains("-") ? "-" : ":"
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 6 else { throw InvalidValue("'\(Echo.short(text))' is not a MAC address (aa:bb:cc:dd:ee:ff)") }
        var octets: [UInt8] = []
        for part in parts {
            guard part.count == 2, let octet = UInt8(part, radix: 16) else {
                throw InvalidValue("'\(Echo.short(text))' is not a MAC address (aa:bb:cc:dd:ee:ff)")
            }
            octets.append(octet)
        }
        guard octets.contains(where: { $0 != 0 }) else { throw InvalidValue("must not be all zero") }
        guard octets[0] & 0x01 == 0 else { throw InvalidValue("must be unicast (first octet even)") }
        self.octets = octets
    }

    public var description: String {
        octets.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
