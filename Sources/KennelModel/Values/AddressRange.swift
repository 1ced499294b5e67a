/// An inclusive range of IPv4 addresses: `10.0.0.10-10.0.0.200`, or one address `10.0.0.5`.
public struct AddressRange: ParsableValue, Hashable, Codable {
    public let first: IPv4Address
    public let last: IPv4Address

    /// Creates a range; fails when `first` is after `last`.
    public init(first: IPv4Address, last: IPv4Address) throws(InvalidValue) {
        guard first <= last else { throw InvalidValue("range \(first)-\(last) starts after it ends") }
        self.first = first
        self.last = last
    }

    public init(parsing text: String) throws(InvalidValue) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let address = try IPv4Address(parsing: text)
            try self.init(first: address, last: address)
        case 2:
            try self.init(first: IPv4Address(parsing: String(parts[0])), last: IPv4Address(parsing: String(parts[1])))
        default:
            throw InvalidValue("'\(Echo.short(text))' is not an address or a range (a.b.c.d-e.f.g.h)")
        }
    }

    /// The range as 32-bit values.
    public var values: ClosedRange<UInt32> { first.value...last.value }

    /// How many addresses it holds.
    public var count: UInt64 { UInt64(last.value - first.value) + 1 }

    public var description: String { first == last ? first.description : "\(first)-\(last)" }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
