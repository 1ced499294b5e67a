/// An 802.1Q VLAN ID, 1–4094 (0 and 4095 are reserved).
public struct VLANID: ParsableValue, Hashable, Comparable, Codable {
    /// The tag value.
    public let value: Int

    /// Creates an ID from a number, or explains why it is out of range.
    public init(_ value: Int) throws(InvalidValue) {
        guard (1...4094).contains(value) else { throw InvalidValue("VLAN ID must be 1–4094, not \(value)") }
        self.value = value
    }

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy(\.isASCIIDigit), let number = Int(text) else {
            throw InvalidValue("'\(Echo.short(text))' is not a VLAN ID (1–4094)")
        }
        try self.init(number)
    }

    public var description: String { String(value) }

    public static func < (lhs: VLANID, rhs: VLANID) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
