/// A free-form tag such as a service name or an owner (`web`, `team-pay`,
/// `alice@example.com`): 1–64 printable ASCII characters without spaces, quotes or `<>&`.
public struct Label: ParsableValue, Hashable, Comparable, Codable {
    /// The tag text.
    public let value: String

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, text.utf8.count <= 64 else { throw InvalidValue("must be 1–64 characters") }
        let forbidden = Set("\"'<>&`\\")
        guard text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 >= "!" && $0 <= "~" && !forbidden.contains($0) })
        else { throw InvalidValue("may contain printable ASCII only, no spaces, quotes, '<', '>', '&' or '\\'") }
        value = text
    }

    /// A label known valid at compile time (Kennel's own constants); not for user text.
    public init(verified text: StaticString) { value = "\(text)" }

    public var description: String { value }

    public static func < (lhs: Label, rhs: Label) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
