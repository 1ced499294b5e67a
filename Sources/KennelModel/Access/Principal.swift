import Foundation

/// Who is asking: an authenticated user with their role and teams. Pure: decides what
/// they may see and change; the services and routes ask it.
public struct Principal: Sendable, Hashable {
    /// The user's name.
    public let user: Hostname
    public let role: Role
    /// The teams the user belongs to.
    public let teams: Set<Hostname>
    /// When the credential it came with (an API token) expires; nil for Kennel itself.
    public let credentialExpiresAt: Date?

    public init(user: Hostname, role: Role, teams: Set<Hostname>, credentialExpiresAt: Date? = nil) {
        self.user = user
        self.role = role
        self.teams = teams
        self.credentialExpiresAt = credentialExpiresAt
    }

    /// The same principal, as a credential expiring at `date` presents it.
    public func expiring(at date: Date) -> Principal {
        Principal(user: user, role: role, teams: teams, credentialExpiresAt: date)
    }

    /// Kennel itself (start-up, the reconciler, tests of services): may do everything.
    public static let system = Principal(user: Hostname(verified: "kennel"), role: .admin, teams: [])

    public var isAdmin: Bool { role == .admin }

    /// Whether this principal may see a machine of `team` (admins see every machine;
    /// others only their teams' ones, never a machine without a team).
    public func canRead(team: Hostname?) -> Bool {
        isAdmin || team.map(teams.contains) == true
    }

    /// Whether this principal may create, change or delete a machine of `team`.
    public func canChange(team: Hostname?) -> Bool {
        isAdmin || (role == .operator && team.map(teams.contains) == true)
    }

    /// Refuses unless this principal may see a machine of `team`.
    public func requireRead(_ kind: String, _ name: String, team: Hostname?) throws(KennelError) {
        guard canRead(team: team) else {
            throw KennelError(.forbidden, "\(kind) \(Echo.short(name)) belongs to no team of \(user)'s", field: nil)
        }
    }

    /// Refuses unless this principal may change a machine of `team`.
    public func requireChange(_ kind: String, _ name: String, team: Hostname?) throws(KennelError) {
        try requireRead(kind, name, team: team)
        guard canChange(team: team) else {
            throw KennelError(.forbidden, "\(user) is \(role.withArticle) and cannot change \(kind) \(Echo.short(name))")
        }
    }

    /// Refuses unless this principal is an admin; `what` names the action.
    public func requireAdmin(_ what: String) throws(KennelError) {
        guard isAdmin else { throw KennelError(.forbidden, "\(what) needs the admin role; \(user) is \(role.withArticle)") }
    }

    /// The team a new machine of this principal's belongs to: the one asked for (which
    /// must be one of theirs unless they are an admin), or their only team.
    public func teamForNewMachine(asked: Hostname?) throws(KennelError) -> Hostname? {
        if let asked {
            guard isAdmin || teams.contains(asked) else {
                throw KennelError(.forbidden, "team: \(user) is not a member of team \(asked)", field: "team")
            }
            guard isAdmin || role == .operator else {
                throw KennelError(.forbidden, "\(user) is \(role.withArticle) and cannot create machines")
            }
            return asked
        }
        if isAdmin { return nil }
        guard role == .operator else { throw KennelError(.forbidden, "\(user) is \(role.withArticle) and cannot create machines") }
        guard teams.count == 1, let only = teams.first else {
            throw teams.isEmpty
                ? KennelError(.forbidden, "\(user) belongs to no team and cannot create machines")
                : KennelError.missing("team")
        }
        return only
    }
}
