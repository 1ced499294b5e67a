/// The name of a machine image, such as `debian-12` or `debian-12:2026.11`:
/// 1–64 characters of `a-z`, `0-9`, `.`, `_`, `-` and `:`, starting with a letter or digit.
public struct ImageName: ParsableValue, Hashable, Codable {
    /// The image name.
    public let value: String

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, text.utf8.count <= 64 else { throw InvalidValue("must be 1–64 characters") }
        // Byte by byte: every stored machine's image is parsed again when it is read.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"), UInt8(ascii: ":"):
                continue
            default: throw InvalidValue("may contain only a-z, 0-9, '.', '_', '-' and ':'")
            }
        }
        guard let first = text.utf8.first,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { throw InvalidValue("must start with a letter or digit") }
        value = text
    }

    private init(verified value: String) { self.value = value }

    /// The image machines get when a request names none.
    public static let defaultImage = ImageName(verified: "debian-12")

    public var description: String { value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
