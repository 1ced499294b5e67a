import Foundation

/// A person (or a robot) who calls the API with tokens.
public struct User: Sendable, Hashable, Codable {
    public let name: Hostname
    public var role: Role
    /// The teams they belong to, by name.
    public var teams: [Hostname]
    public let createdAt: Date

    public init(name: Hostname, role: Role, teams: [Hostname] = [], createdAt: Date) {
        self.name = name
        self.role = role
        self.teams = teams
        self.createdAt = createdAt
    }

    /// The principal this user acts as.
    public var principal: Principal { Principal(user: name, role: role, teams: Set(teams)) }
}

/// A group of users that owns machines.
public struct Team: Sendable, Hashable, Codable {
    public let name: Hostname
    /// Its members, by name.
    public var members: [Hostname]
    public let createdAt: Date

    public init(name: Hostname, members: [Hostname] = [], createdAt: Date) {
        self.name = name
        self.members = members
        self.createdAt = createdAt
    }
}

/// An API token as stored: never its secret, only facts about it.
public struct APIToken: Sendable, Hashable, Codable {
    public let id: Int64
    public let user: Hostname
    public let name: Label
    public let createdAt: Date
    /// After this instant the token is refused.
    public let expiresAt: Date
    /// Set when revoked; a revoked token is refused.
    public let revokedAt: Date?
    /// The last time it authenticated a request (to the minute).
    public let lastUsedAt: Date?

    public init(id: Int64, user: Hostname, name: Label, createdAt: Date, expiresAt: Date, revokedAt: Date?, lastUsedAt: Date?) {
        self.id = id
        self.user = user
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether it may authenticate a request at `now`.
    public func isValid(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

/// A user's registered SSH public key: checked (`SSHKeyBlob`), named by its SHA256
/// fingerprint, written into `authorized_keys` of their teams' machines.
public struct UserKey: Sendable, Hashable, Codable {
    public let user: Hostname
    public let key: SSHPublicKey
    /// `SHA256:` and the unpadded base64 of the body's SHA-256, as `ssh-keygen -l` shows it.
    public let fingerprint: String
    public let bits: Int
    public let createdAt: Date

    public init(user: Hostname, key: SSHPublicKey, fingerprint: String, bits: Int, createdAt: Date) {
        self.user = user
        self.key = key
        self.fingerprint = fingerprint
        self.bits = bits
        self.createdAt = createdAt
    }
}
