/// An IPv4 address, kept as its 32-bit value so that address arithmetic is exact.
public struct IPv4Address: ParsableValue, Hashable, Comparable, Codable {
    /// The address in host byte order (`10.0.0.1` is `0x0A00_0001`).
    public let value: UInt32

    /// Creates an address from its 32-bit value.
    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad notation. Leading zeros are refused because tools disagree on
    /// whether `010` is octal.
    public init(parsing text: String) throws(InvalidValue) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw InvalidValue("'\(Echo.short(text))' is not an IPv4 address (a.b.c.d)") }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                let octet = UInt32(part), octet <= 255
            else { throw InvalidValue("'\(Echo.short(text))' is not an IPv4 address (each part 0–255)") }
            guard part.count == 1 || part.first != "0" else {
                throw InvalidValue("'\(Echo.short(text))' has a leading zero in an octet")
            }
            result = result << 8 | octet
        }
        value = result
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    public var description: String { octets.map(String.init).joined(separator: ".") }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    /// `0`–`9` only; unlike `isNumber`, no other scripts' digits.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
