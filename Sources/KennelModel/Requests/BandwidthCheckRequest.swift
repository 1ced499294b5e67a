/// `POST /api/v1/machines/{name}/verify-bandwidth`: how long to measure each direction.
public struct BandwidthCheckRequest: Sendable, Equatable {
    /// Seconds per direction; nil for the service's default.
    public let seconds: Int?

    /// The fields the request takes.
    public static let fieldNames: Set<String> = ["seconds"]

    public init(seconds: Int? = nil) { self.seconds = seconds }

    public init(fields: RequestFields) throws(KennelError) {
        seconds = try fields.optional("seconds", as: WholeSeconds.self)?.value
    }
}

/// A whole, positive number of seconds (`5`).
public struct WholeSeconds: ParsableValue, Hashable {
    public let value: Int

    public init(parsing text: String) throws(InvalidValue) {
        guard let value = Int(text), value > 0 else { throw InvalidValue("'\(Echo.short(text))' is not a whole number of seconds above 0") }
        self.value = value
    }

    public var description: String { "\(value)" }
}
