import Foundation
import KennelModel

/// Users, teams, memberships and API tokens. Tokens are kept only as the SHA-256 hash
/// of their secret.
public protocol AccessRecords {
    /// How many users exist (zero on a new database).
    func userCount() throws -> Int
    func user(named name: Hostname) throws -> User?
    /// Every user with their teams, by name.
    func allUsers() throws -> [User]
    /// Adds a user; a taken name is `name_taken`.
    func insertUser(_ user: User) throws
    func setRole(_ role: Role, of user: Hostname) throws
    /// Removes a user with their memberships and tokens.
    func deleteUser(named name: Hostname) throws

    func team(named name: Hostname) throws -> Team?
    /// Every team with its members, by name.
    func allTeams() throws -> [Team]
    func insertTeam(_ team: Team) throws
    func deleteTeam(named name: Hostname) throws
    /// Adds `user` to `team`; false when already a member.
    func addMember(_ user: Hostname, to team: Hostname) throws -> Bool
    /// Removes `user` from `team`; false when not a member.
    func removeMember(_ user: Hostname, from team: Hostname) throws -> Bool
    /// How many machines belong to `team`.
    func machineCount(ofTeam team: Hostname) throws -> Int

    /// Stores a new token's hash and facts; returns the stored token.
    func insertToken(user: Hostname, name: Label, sha256: String, createdAt: Date, expiresAt: Date) throws -> APIToken
    /// The token whose secret hashes to `sha256`, if any.
    func token(withSHA256 sha256: String) throws -> APIToken?
    func token(id: Int64) throws -> APIToken?
    /// Tokens of `user`, or of everyone when nil, newest first.
    func tokens(of user: Hostname?) throws -> [APIToken]
    func revokeToken(id: Int64, at time: Date) throws
    func markTokenUsed(id: Int64, at time: Date) throws
}

/// The append-only audit log.
public protocol AuditRecords {
    /// Appends one entry; returns its id.
    func appendAudit(_ change: AuditChange, at time: Date) throws -> Int64
    /// Entries matching `query`, oldest first.
    func auditEntries(_ query: AuditQuery) throws -> [AuditEntry]
}

/// One change to write to the audit log (the store gives it its id and time).
public struct AuditChange: Sendable, Equatable {
    public let user: String
    public let action: String
    public let targetKind: String
    public let target: String
    public let before: String?
    public let after: String?
    public let source: String?
    public let operation: Int64?

    public init(
        user: String, action: String, targetKind: String, target: String, before: String?, after: String?, source: String?,
        operation: Int64?
    ) {
        self.user = user
        self.action = action
        self.targetKind = targetKind
        self.target = target
        self.before = before
        self.after = after
        self.source = source
        self.operation = operation
    }
}

/// Which audit entries to read.
public struct AuditQuery: Sendable, Equatable {
    public var targetKind: String?
    public var target: String?
    public var user: String?
    public var since: Date?
    public var until: Date?
    /// Entries after this id (paging).
    public var after: Int64?
    public var limit: Int

    public init(
        targetKind: String? = nil, target: String? = nil, user: String? = nil, since: Date? = nil, until: Date? = nil, after: Int64? = nil,
        limit: Int = 500
    ) {
        self.targetKind = targetKind
        self.target = target
        self.user = user
        self.since = since
        self.until = until
        self.after = after
        self.limit = limit
    }
}
