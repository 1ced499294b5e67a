/// What a user may do. Roles are ordered: an admin may do everything an operator may,
/// an operator everything a viewer may.
public enum Role: String, ParsableValue, CaseIterable, Comparable, Codable {
    /// Reads the machines of their teams.
    case viewer
    /// Creates and changes the machines of their teams.
    case `operator`
    /// Hosts, pools, topology, users, teams and every machine.
    case admin

    public init(parsing text: String) throws(InvalidValue) {
        guard let role = Role(rawValue: text) else { throw InvalidValue("'\(Echo.short(text))' is not a role (admin, operator, viewer)") }
        self = role
    }

    public var description: String { rawValue }

    /// The role with its article, for messages: `a viewer`, `an operator`, `an admin`.
    public var withArticle: String { self == .viewer ? "a viewer" : "an \(rawValue)" }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
