/// A whole number of CPUs for a machine, 1–256.
public struct CPUCount: ParsableValue, Hashable, Comparable, Codable {
    /// The number of CPUs.
    public let value: Int

    /// Creates a count, or explains why it is out of range.
    public init(_ value: Int) throws(InvalidValue) {
        guard value >= 1 else { throw InvalidValue("must be at least 1, not \(value)") }
        guard value <= 256 else { throw InvalidValue("must be at most 256, not \(value)") }
        self.value = value
    }

    public init(parsing text: String) throws(InvalidValue) {
        if text.hasPrefix("-"), text.count <= 5, let number = Int(text) { try self.init(number) }
        guard !text.isEmpty, text.count <= 4, text.allSatisfy(\.isASCIIDigit), let number = Int(text) else {
            throw InvalidValue("'\(Echo.short(text))' is not a whole number of CPUs")
        }
        try self.init(number)
    }

    private init(verified value: Int) { self.value = value }

    /// One CPU, the default.
    public static let one = CPUCount(verified: 1)

    public var description: String { String(value) }

    public static func < (lhs: CPUCount, rhs: CPUCount) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
