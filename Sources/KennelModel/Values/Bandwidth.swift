/// A network rate in bits per second. Units are decimal, as in networking:
/// `100M` (or `100Mbit`, `100mbps`) is 100 Mbit/s, `1G` is 1 Gbit/s; a plain number is bit/s.
public struct Bandwidth: ParsableValue, Hashable, Comparable, Codable {
    /// The rate in bits per second.
    public let bitsPerSecond: UInt64

    /// Creates a rate from bits per second.
    public init(bitsPerSecond: UInt64) { self.bitsPerSecond = bitsPerSecond }

    /// Creates a rate of `count` Mbit/s.
    public static func megabits(_ count: UInt64) -> Bandwidth { Bandwidth(bitsPerSecond: count * 1_000_000) }

    public init(parsing text: String) throws(InvalidValue) {
        let parsed = try UnitNumber(text, base: 1000, suffixes: ["", "bit", "bps"], what: "rate (e.g. 100M, 1G)")
        guard parsed.value > 0 else { throw InvalidValue("rate must be greater than 0") }
        bitsPerSecond = parsed.value
    }

    /// Whole kilobytes per second, rounded down (libvirt's `<bandwidth>` unit).
    public var kilobytesPerSecond: UInt64 { bitsPerSecond / 8000 }

    public var description: String { UnitNumber.render(bitsPerSecond, base: 1000) }

    public static func < (lhs: Bandwidth, rhs: Bandwidth) -> Bool { lhs.bitsPerSecond < rhs.bitsPerSecond }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
