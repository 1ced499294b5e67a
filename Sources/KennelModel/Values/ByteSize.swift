/// An amount of memory or disk. Units are binary: `512M` is 512 MiB, `20G` is 20 GiB,
/// `1T` is 1 TiB; `K`, `KB` and `KiB` all mean 1024 bytes; a plain number is bytes.
public struct ByteSize: ParsableValue, Hashable, Comparable, Codable {
    /// The size in bytes.
    public let bytes: UInt64

    /// Creates a size from a byte count.
    public init(bytes: UInt64) { self.bytes = bytes }

    /// Creates a size of `count` GiB.
    public static func gibibytes(_ count: UInt64) -> ByteSize { ByteSize(bytes: count << 30) }

    /// Creates a size of `count` MiB.
    public static func mebibytes(_ count: UInt64) -> ByteSize { ByteSize(bytes: count << 20) }

    public init(parsing text: String) throws(InvalidValue) {
        let parsed = try UnitNumber(text, base: 1024, suffixes: ["", "b", "ib"], what: "size (e.g. 512M, 20G, 1T)")
        bytes = parsed.value
    }

    /// Whole kibibytes, rounded down (libvirt's unit for memory).
    public var kibibytes: UInt64 { bytes / 1024 }

    public var description: String { UnitNumber.render(bytes, base: 1024) }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    public static func + (lhs: ByteSize, rhs: ByteSize) -> ByteSize { ByteSize(bytes: lhs.bytes + rhs.bytes) }

    /// The size rounded up to a whole number of `unit`s (saturating at the largest one).
    public func roundedUp(toMultipleOf unit: ByteSize) -> ByteSize {
        guard unit.bytes > 1 else { return self }
        let remainder = bytes % unit.bytes
        guard remainder != 0 else { return self }
        let (sum, overflow) = bytes.addingReportingOverflow(unit.bytes - remainder)
        return ByteSize(bytes: overflow ? UInt64.max - UInt64.max % unit.bytes : sum)
    }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
