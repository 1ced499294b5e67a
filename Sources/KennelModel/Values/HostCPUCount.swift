/// A host's CPU threads, 1–4096: a host is counted in hardware threads (a two-socket
/// server has hundreds), while a machine asks for at most `CPUCount`'s 256.
public struct HostCPUCount: ParsableValue, Hashable, Codable {
    /// The number of CPU threads.
    public let value: Int

    /// The largest host Kennel accepts.
    public static let maximum = 4096

    /// Creates a count, or explains why it is out of range.
    public init(_ value: Int) throws(InvalidValue) {
        guard value >= 1 else { throw InvalidValue("must be at least 1, not \(value)") }
        guard value <= Self.maximum else { throw InvalidValue("must be at most \(Self.maximum), not \(value)") }
        self.value = value
    }

    public init(parsing text: String) throws(InvalidValue) {
        guard let number = Int(text), text.count <= 6, text.first != "+" else {
            throw InvalidValue("'\(Echo.short(text))' is not a whole number of CPU threads")
        }
        try self.init(number)
    }

    public var description: String { String(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(try container.decode(Int.self))
        } catch let error as InvalidValue {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
