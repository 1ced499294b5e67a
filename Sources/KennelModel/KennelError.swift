/// The one error type Kennel's services raise.
///
/// A code says what kind of failure it is (and so which HTTP status it maps to at the
/// edge), the message says it to a person, and `field` names the request field at fault
/// when there is one.
public struct KennelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code such as `name_taken`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The request body could not be read at all (not JSON, not a form).
        public static let badRequest = Code(rawValue: "bad_request")
        /// A field's value does not parse or is out of range.
        public static let invalidField = Code(rawValue: "invalid_field")
        /// A required field is absent or empty.
        public static let missingField = Code(rawValue: "missing_field")
        /// The request names a field Kennel does not know.
        public static let unknownField = Code(rawValue: "unknown_field")
        /// A field names an IDC, zone, pool or host that does not exist.
        public static let unknownReference = Code(rawValue: "unknown_reference")
        /// The addressed resource does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// A machine with that name exists already.
        public static let nameTaken = Code(rawValue: "name_taken")
        /// The pool has no free address left.
        public static let poolExhausted = Code(rawValue: "pool_exhausted")
        /// The requested address is leased to another machine.
        public static let ipInUse = Code(rawValue: "ip_in_use")
        /// The requested MAC address is used by another machine.
        public static let macInUse = Code(rawValue: "mac_in_use")
        /// No host can take the machine.
        public static let noCapacity = Code(rawValue: "no_capacity")
        /// Strict spread would put two machines of one service in one rack.
        public static let spreadImpossible = Code(rawValue: "spread_impossible")
        /// The resource is in a state that does not allow the operation.
        public static let conflict = Code(rawValue: "conflict")
        /// A host (libvirt, OVS, a disk) refused or failed a step.
        public static let hostFailure = Code(rawValue: "host_failure")

        /// What a host decides and the client is told as such, naming its field, rather
        /// than as a host failure: a state that does not allow the step (`conflict`), no
        /// room in its volume store (`no_capacity`).
        public static let hostRefusals: Set<Code> = [.conflict, .noCapacity]
        /// The request came from a page of another origin, or named a host the service
        /// does not answer to.
        public static let forbidden = Code(rawValue: "forbidden")
        /// No token, or one that is unknown, expired or revoked.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// An `If-Match` that does not match the resource's current `ETag`.
        public static let preconditionFailed = Code(rawValue: "precondition_failed")
        /// The body is larger than the service accepts.
        public static let bodyTooLarge = Code(rawValue: "body_too_large")
        /// The URL or a header is longer than the service accepts.
        public static let requestTooLarge = Code(rawValue: "request_too_large")
        /// The path exists but not with this method; `Allow` lists the methods it has.
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// The service is shutting down and takes no new work.
        public static let unavailable = Code(rawValue: "unavailable")
        /// Kennel's own fault; the message carries no internals.
        public static let `internal` = Code(rawValue: "internal")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for a person.
    public let message: String
    /// The request field at fault, when there is one.
    public let field: String?
    /// For placement refusals: per-filter counts and per-host reasons.
    public let details: RefusalDetails?

    /// Creates an error from its parts.
    public init(_ code: Code, _ message: String, field: String? = nil, details: RefusalDetails? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.details = details
    }

    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }

    /// A field's value is malformed or out of range.
    public static func invalid(_ field: String, _ reason: String) -> KennelError {
        KennelError(.invalidField, "\(field): \(reason)", field: field)
    }

    /// A required field is absent.
    public static func missing(_ field: String) -> KennelError {
        KennelError(.missingField, "\(field) is required", field: field)
    }

    /// A named resource does not exist.
    public static func notFound(_ kind: String, _ name: String) -> KennelError {
        KennelError(.notFound, "no \(kind) named '\(Echo.short(name))'")
    }
}
