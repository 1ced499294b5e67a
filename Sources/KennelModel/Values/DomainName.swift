/// A DNS name such as `corp.example.com`: dot-separated RFC 1123 labels, at most 253 characters.
public struct DomainName: ParsableValue, Hashable, Codable {
    public let value: String

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, text.utf8.count <= 253 else { throw InvalidValue("must be 1–253 characters") }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            do {
                _ = try Hostname(parsing: String(label))
            } catch {
                throw InvalidValue("label '\(label)': \(error.reason)")
            }
        }
        value = text
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
