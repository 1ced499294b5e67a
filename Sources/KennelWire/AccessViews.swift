import Foundation
import KennelControl
import KennelModel

/// A user: `GET /api/v1/users/{name}`, `GET /api/v1/whoami`.
public struct UserView: Codable, Sendable, Equatable {
    public let name: String
    public let role: String
    public let teams: [String]
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case name, role, teams
        case createdAt = "created_at"
    }

    public init(_ user: User) {
        name = user.name.value
        role = user.role.rawValue
        teams = user.teams.map(\.value)
        createdAt = user.createdAt
    }
}

/// `GET /api/v1/users`.
public struct UserList: Codable, Sendable {
    public let users: [UserView]
    public let count: Int

    public init(_ users: [UserView]) {
        self.users = users
        count = users.count
    }
}

/// A team: `GET /api/v1/teams/{name}`.
public struct TeamView: Codable, Sendable, Equatable {
    public let name: String
    public let members: [String]
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case name, members
        case createdAt = "created_at"
    }

    public init(_ team: Team) {
        name = team.name.value
        members = team.members.map(\.value)
        createdAt = team.createdAt
    }
}

/// `GET /api/v1/teams`.
public struct TeamList: Codable, Sendable {
    public let teams: [TeamView]
    public let count: Int

    public init(_ teams: [TeamView]) {
        self.teams = teams
        count = teams.count
    }
}

/// A token's facts; `secret` only in the answer that made it.
public struct TokenView: Codable, Sendable, Equatable {
    public let id: Int64
    public let user: String
    public let name: String
    public let createdAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?
    public let lastUsedAt: Date?
    /// The bearer secret, shown once.
    public let secret: String?

    enum CodingKeys: String, CodingKey {
        case id, user, name, secret
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
    }

    public init(_ token: APIToken, secret: TokenSecret? = nil) {
        id = token.id
        user = token.user.value
        name = token.name.value
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
        lastUsedAt = token.lastUsedAt
        self.secret = secret?.text
    }
}

/// `GET /api/v1/tokens`.
public struct TokenList: Codable, Sendable {
    public let tokens: [TokenView]
    public let count: Int

    public init(_ tokens: [TokenView]) {
        self.tokens = tokens
        count = tokens.count
    }
}

/// One audit entry: `GET /api/v1/audit`. `before` and `after` are the object as JSON.
public struct AuditEntryView: Codable, Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let user: String
    public let action: String
    public let targetKind: String
    public let target: String
    public let before: String?
    public let after: String?
    public let source: String?
    public let operation: Int64?

    enum CodingKeys: String, CodingKey {
        case id, at, user, action, target, before, after, source, operation
        case targetKind = "target_kind"
    }

    public init(_ entry: AuditEntry) {
        id = entry.id
        at = entry.at
        user = entry.user
        action = entry.action
        targetKind = entry.targetKind
        target = entry.target
        before = entry.before
        after = entry.after
        source = entry.source
        operation = entry.operation
    }
}

/// `GET /api/v1/audit`.
public struct AuditList: Codable, Sendable {
    public let entries: [AuditEntryView]
    public let count: Int

    public init(_ entries: [AuditEntryView]) {
        self.entries = entries
        count = entries.count
    }
}

/// A user's registered SSH key: `POST`/`GET /api/v1/users/{name}/keys`.
public struct SSHKeyView: Codable, Sendable, Equatable {
    public let user: String
    public let fingerprint: String
    public let type: String
    public let bits: Int
    public let comment: String?
    /// The whole public key line.
    public let key: String
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case user, fingerprint, type, bits, comment, key
        case createdAt = "created_at"
    }

    public init(_ key: UserKey) {
        user = key.user.value
        fingerprint = key.fingerprint
        type = key.key.type
        bits = key.bits
        comment = key.key.comment
        self.key = key.key.description
        createdAt = key.createdAt
    }
}

/// `GET /api/v1/users/{name}/keys`.
public struct SSHKeyList: Codable, Sendable {
    public let keys: [SSHKeyView]
    public let count: Int

    public init(_ keys: [SSHKeyView]) {
        self.keys = keys
        count = keys.count
    }
}

/// A signed SSH user certificate: `POST /api/v1/ssh/certificates`.
public struct SSHCertificateView: Codable, Sendable, Equatable {
    /// The certificate line, to save as `KEY-cert.pub` beside the private key.
    public let certificate: String
    public let keyID: String
    public let serial: UInt64
    public let principals: [String]
    public let validAfter: Date
    public let validBefore: Date

    enum CodingKeys: String, CodingKey {
        case certificate, serial, principals
        case keyID = "key_id"
        case validAfter = "valid_after"
        case validBefore = "valid_before"
    }

    public init(_ certificate: SSHCertificate) {
        self.certificate = certificate.line
        keyID = certificate.keyID
        serial = certificate.serial
        principals = certificate.principals
        validAfter = certificate.validAfter
        validBefore = certificate.validBefore
    }
}

/// A grant: `POST`/`GET /api/v1/grants`.
public struct GrantView: Codable, Sendable, Equatable {
    public let id: Int64
    public let user: String?
    public let team: String?
    public let machine: String?
    public let service: String?
    public let expiresAt: Date?
    public let createdBy: String
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, user, team, machine, service
        case expiresAt = "expires_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }

    public init(_ grant: Grant) {
        id = grant.id
        if case .user(let name) = grant.subject { user = name.value } else { user = nil }
        if case .team(let name) = grant.subject { team = name.value } else { team = nil }
        if case .machine(let name) = grant.target { machine = name.value } else { machine = nil }
        if case .service(let name) = grant.target { service = name.value } else { service = nil }
        expiresAt = grant.expiresAt
        createdBy = grant.createdBy.value
        createdAt = grant.createdAt
    }
}

/// `GET /api/v1/grants`.
public struct GrantList: Codable, Sendable {
    public let grants: [GrantView]
    public let count: Int

    public init(_ grants: [GrantView]) {
        self.grants = grants
        count = grants.count
    }
}
