/// A length of time in whole seconds: `24h`, `30m`, `90s`, `2d`, or a plain number of seconds.
public struct Period: ParsableValue, Hashable, Comparable, Codable {
    public let seconds: Int

    /// Creates a period; fails when negative.
    public init(seconds: Int) throws(InvalidValue) {
        guard seconds >= 0 else { throw InvalidValue("must not be negative") }
        self.seconds = seconds
    }

    private init(verified seconds: Int) { self.seconds = seconds }

    /// No time at all.
    public static let zero = Period(verified: 0)
    /// One hour.
    public static let hour = Period(verified: 3600)
    /// One day, the default address quarantine.
    public static let day = Period(verified: 86_400)

    /// This period `count` times over (count ≥ 0, within what fits).
    public func times(_ count: Int) -> Period { Period(verified: seconds.multipliedReportingOverflow(by: max(0, count)).partialValue) }

    public init(parsing text: String) throws(InvalidValue) {
        let digits = text.prefix(while: \.isASCIIDigit)
        let unit = text.dropFirst(digits.count)
        let multipliers: [Substring: Int] = ["": 1, "s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard !digits.isEmpty, digits.count <= 9, let number = Int(digits), let multiplier = multipliers[unit] else {
            throw InvalidValue("'\(Echo.short(text))' is not a period (e.g. 24h, 30m, 90s, 0)")
        }
        try self.init(seconds: number * multiplier)
    }

    public var description: String {
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds > 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    public static func < (lhs: Period, rhs: Period) -> Bool { lhs.seconds < rhs.seconds }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
