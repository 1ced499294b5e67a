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
        // Byte by byte (`aa:bb:cc:dd:ee:ff` or with '-'): every stored machine's MAC is
        // parsed again when it is read.
        let bytes = Array(text.utf8)
        var invalid: InvalidValue { InvalidValue("'\(Echo.short(text))' is not a MAC address (aa:bb:cc:dd:ee:ff)") }
        guard bytes.count == 17 else { throw invalid }
        let separator = bytes[2]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { throw invalid }
        var octets: [UInt8] = []
        octets.reserveCapacity(6)
        for index in 0..<6 {
            let start = index * 3
            if index < 5, bytes[start + 2] != separator { throw invalid }
            guard let high = Self.hexValue(bytes[start]), let low = Self.hexValue(bytes[start + 1]) else { throw invalid }
            octets.append(high << 4 | low)
        }
        guard octets.contains(where: { $0 != 0 }) else { throw InvalidValue("must not be all zero") }
        guard octets[0] & 0x01 == 0 else { throw InvalidValue("must be unicast (first octet even)") }
        self.octets = octets
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
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
