/// Why a piece of text is not a valid value; the edge adds the field name.
public struct InvalidValue: Error, Sendable, Equatable {
    /// What is wrong with the text, e.g. "must be 1 to 4094".
    public let reason: String
    /// Creates the error with a reason.
    public init(_ reason: String) { self.reason = reason }
}

/// A value type that is parsed from user text at the edge ("parse, don't validate").
public protocol ParsableValue: Sendable, CustomStringConvertible {
    /// Parses `text`, or explains why it is not a valid value.
    init(parsing text: String) throws(InvalidValue)
}

extension ParsableValue {
    /// Decodes the value from a JSON string (or, for numeric types, what `text` accepts).
    static func decodeParsing(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = String(try container.decode(UInt64.self))
        }
        do {
            return try Self(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }
}
