import Foundation
import KennelModel
import Logging

/// Authenticates API tokens and manages users, teams, memberships and tokens. Every
/// change is written to the audit log in its own transaction.
public struct AccessService: Sendable {
    private let store: any MachineStore
    private let environment: ServiceEnvironment
    private let logger: Logger
    /// Pushes key lists to running machines when membership changes.
    private let sync: AccessSync?

    /// How long a token lives when its request names no lifetime.
    public static let defaultTokenLifetime = Period.day.times(90)
    /// The longest lifetime a token may be given.
    public static let longestTokenLifetime = Period.day.times(366)
    /// The name of the first admin, made on an empty database.
    public static let firstAdmin = Hostname(verified: "admin")

    public init(store: any MachineStore, environment: ServiceEnvironment = .live, logger: Logger, sync: AccessSync? = nil) {
        self.store = store
        self.environment = environment
        self.logger = logger
        self.sync = sync
    }

    // MARK: Authentication

    /// The principal a bearer token stands for; 401 `unauthorized` without a token, with
    /// an unknown, expired or revoked one, or one whose user is gone.
    public func authenticate(bearer presented: String?) async throws -> Principal {
        guard let presented, !presented.isEmpty else {
            throw KennelError(.unauthorized, "this endpoint needs a token: send 'Authorization: Bearer TOKEN' (kennel login stores one)")
        }
        guard let secret = TokenSecret(presented: presented) else {
            throw KennelError(.unauthorized, "the bearer token is not a Kennel token (kennel_ and 43 characters)")
        }
        return try await authenticate(tokenHash: secret.sha256)
    }

    /// The principal of the token whose SHA-256 is `hash` (a console session keeps the
    /// hash, never the secret): 401 when that token is unknown, expired or revoked, or its
    /// user is gone — so a revoked token ends its sessions at their next request.
    public func authenticate(tokenHash hash: String) async throws -> Principal {
        let now = environment.now()
        let (token, user) = try await store.snapshot { store -> (APIToken?, User?) in
            guard let token = try store.token(withSHA256: hash) else { return (nil, nil) }
            return (token, try store.user(named: token.user))
        }
        guard let token, let user else { throw KennelError(.unauthorized, "the bearer token is unknown") }
        guard token.revokedAt == nil else { throw KennelError(.unauthorized, "the bearer token '\(token.name)' was revoked") }
        guard now < token.expiresAt else { throw KennelError(.unauthorized, "the bearer token '\(token.name)' has expired") }
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            do {
                try await store.transaction { store in try store.markTokenUsed(id: token.id, at: now) }
            } catch {
                logger.warning("token.last-use-unrecorded", metadata: ["token": "\(token.id)", "error": "\(error)"])
            }
        }
        return user.principal.expiring(at: token.expiresAt)
    }

    /// On a database without users: makes the first admin and a token for them, and
    /// returns its secret (to show once and write to the admin token file). Nil when
    /// users exist.
    public func bootstrap() async throws -> TokenSecret? {
        let now = environment.now()
        let secret = TokenSecret.generate()
        let made = try await store.transaction { store -> Bool in
            guard try store.userCount() == 0 else { return false }
            let admin = User(name: Self.firstAdmin, role: .admin, createdAt: now)
            try store.insertUser(admin)
            let token = try store.insertToken(
                user: admin.name, name: Label(verified: "first-start"), sha256: secret.sha256, createdAt: now,
                expiresAt: now.addingTimeInterval(TimeInterval(Self.longestTokenLifetime.seconds)))
            let audit = AuditTrail(requester: .system, at: now)
            try audit.record("user.create", "user", admin.name.value, after: admin, in: store)
            try audit.record("token.create", "token", "\(token.id)", after: token, in: store)
            return true
        }
        return made ? secret : nil
    }

    // MARK: Users

    /// Adds a user (admins only).
    public func createUser(named name: Hostname, role: Role, by requester: Requester) async throws -> User {
        try requester.principal.requireAdmin("adding users")
        let now = environment.now()
        return try await store.transaction { store in
            guard try store.user(named: name) == nil else {
                throw KennelError(.nameTaken, "a user named '\(name)' exists already", field: "name")
            }
            let user = User(name: name, role: role, createdAt: now)
            try store.insertUser(user)
            try AuditTrail(requester: requester, at: now).record("user.create", "user", name.value, after: user, in: store)
            return user
        }
    }

    /// Every user (admins), or only the requester themselves.
    public func users(by requester: Requester) async throws -> [User] {
        try await store.snapshot { store in
            try store.allUsers().filter { requester.principal.isAdmin || $0.name == requester.user }
        }
    }

    /// One user: admins see anyone, others only themselves.
    public func user(named name: Hostname, by requester: Requester) async throws -> User {
        guard requester.principal.isAdmin || name == requester.user else {
            throw KennelError(.forbidden, "only admins can read other users")
        }
        return try await store.snapshot { store in try existingUser(name, store) }
    }

    /// Changes a user's role (admins only); the last admin keeps theirs.
    public func setRole(_ role: Role, of name: Hostname, by requester: Requester) async throws -> User {
        try requester.principal.requireAdmin("changing roles")
        let now = environment.now()
        return try await store.transaction { store in
            let before = try existingUser(name, store)
            if before.role == .admin, role != .admin { try keepOneAdmin(besides: name, store) }
            try store.setRole(role, of: name)
            var after = before
            after.role = role
            try AuditTrail(requester: requester, at: now).record("user.update", "user", name.value, before: before, after: after, in: store)
            return after
        }
    }

    /// Removes a user, their memberships and tokens (admins only); never the last admin.
    public func deleteUser(named name: Hostname, by requester: Requester) async throws {
        try requester.principal.requireAdmin("removing users")
        let now = environment.now()
        let teams = try await store.transaction { store in
            let before = try existingUser(name, store)
            if before.role == .admin { try keepOneAdmin(besides: name, store) }
            try store.deleteUser(named: name)
            try AuditTrail(requester: requester, at: now).record("user.delete", "user", name.value, before: before, in: store)
            return before.teams
        }
        // Their keys went with them: their teams' machines stop accepting them.
        await sync?.teamsChanged(Set(teams))
    }

    private func keepOneAdmin(besides name: Hostname, _ store: any StoreTransaction) throws {
        guard try store.allUsers().contains(where: { $0.role == .admin && $0.name != name }) else {
            throw KennelError(.conflict, "\(name) is the last admin; make another admin first")
        }
    }

    private func existingUser(_ name: Hostname, _ store: any StoreTransaction) throws -> User {
        guard let user = try store.user(named: name) else { throw KennelError.notFound("user", name.value) }
        return user
    }

    // MARK: Teams

    /// Adds a team (admins only).
    public func createTeam(named name: Hostname, by requester: Requester) async throws -> Team {
        try requester.principal.requireAdmin("adding teams")
        let now = environment.now()
        return try await store.transaction { store in
            guard try store.team(named: name) == nil else {
                throw KennelError(.nameTaken, "a team named '\(name)' exists already", field: "name")
            }
            let team = Team(name: name, createdAt: now)
            try store.insertTeam(team)
            try AuditTrail(requester: requester, at: now).record("team.create", "team", name.value, after: team, in: store)
            return team
        }
    }

    /// Every team (admins), or the requester's teams.
    public func teams(by requester: Requester) async throws -> [Team] {
        try await store.snapshot { store in
            try store.allTeams().filter { requester.principal.isAdmin || requester.principal.teams.contains($0.name) }
        }
    }

    /// One team: admins see any, members their own.
    public func team(named name: Hostname, by requester: Requester) async throws -> Team {
        guard requester.principal.isAdmin || requester.principal.teams.contains(name) else {
            throw KennelError(.forbidden, "\(requester.user) is not a member of team \(name)")
        }
        return try await store.snapshot { store in try existingTeam(name, store) }
    }

    /// Removes a team (admins only); refused while machines belong to it.
    public func deleteTeam(named name: Hostname, by requester: Requester) async throws {
        try requester.principal.requireAdmin("removing teams")
        let now = environment.now()
        try await store.transaction { store in
            let before = try existingTeam(name, store)
            let machines = try store.machineCount(ofTeam: name)
            guard machines == 0 else {
                throw KennelError(.conflict, "team \(name) still has \(Counted.text(machines, "machine")); delete them first")
            }
            try store.deleteTeam(named: name)
            try AuditTrail(requester: requester, at: now).record("team.delete", "team", name.value, before: before, in: store)
        }
    }

    /// Adds `user` to `team` (admins only); adding a member twice changes nothing.
    public func addMember(_ user: Hostname, to team: Hostname, by requester: Requester) async throws -> Team {
        try await changeMembership(of: team, by: requester) { store in
            _ = try existingUser(user, store)
            return try store.addMember(user, to: team)
        }
    }

    /// Removes `user` from `team` (admins only); 404 when not a member.
    public func removeMember(_ user: Hostname, from team: Hostname, by requester: Requester) async throws -> Team {
        try await changeMembership(of: team, by: requester) { store in
            guard try store.removeMember(user, from: team) else { throw KennelError.notFound("member of team \(team)", user.value) }
            return true
        }
    }

    private func changeMembership(
        of name: Hostname, by requester: Requester, _ change: @escaping @Sendable (any StoreTransaction) throws -> Bool
    ) async throws -> Team {
        try requester.principal.requireAdmin("changing team membership")
        let now = environment.now()
        let (team, changed) = try await store.transaction { store in
            let before = try existingTeam(name, store)
            guard try change(store) else { return (before, false) }
            let after = try existingTeam(name, store)
            try AuditTrail(requester: requester, at: now).record("team.members", "team", name.value, before: before, after: after, in: store)
            return (after, true)
        }
        // A member's keys open the team's machines: push the new list to those running.
        if changed { await sync?.teamsChanged([name]) }
        return team
    }

    private func existingTeam(_ name: Hostname, _ store: any StoreTransaction) throws -> Team {
        guard let team = try store.team(named: name) else { throw KennelError.notFound("team", name.value) }
        return team
    }

    // MARK: Tokens

    /// Makes a token for `user` (themselves, or anyone for an admin) and returns it with
    /// its secret, which is never shown again.
    public func createToken(
        for user: Hostname, name: Label, lifetime: Period?, by requester: Requester
    ) async throws -> (token: APIToken, secret: TokenSecret) {
        guard requester.principal.isAdmin || user == requester.user else {
            throw KennelError(.forbidden, "only admins can make tokens for other users")
        }
        let lifetime = lifetime ?? Self.defaultTokenLifetime
        guard lifetime.seconds >= 60, lifetime <= Self.longestTokenLifetime else {
            throw KennelError.invalid("expires", "a token lives from 1m to \(Self.longestTokenLifetime), not \(lifetime)")
        }
        let now = environment.now()
        let secret = TokenSecret.generate()
        let token = try await store.transaction { store in
            _ = try existingUser(user, store)
            let token = try store.insertToken(
                user: user, name: name, sha256: secret.sha256, createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(lifetime.seconds)))
            try AuditTrail(requester: requester, at: now).record("token.create", "token", "\(token.id)", after: token, in: store)
            return token
        }
        return (token, secret)
    }

    /// Tokens of `user` (nil: the requester's own; admins may name anyone or `all`).
    public func tokens(of user: Hostname?, all: Bool = false, by requester: Requester) async throws -> [APIToken] {
        let owner = all ? nil : (user ?? requester.user)
        guard requester.principal.isAdmin || owner == requester.user else {
            throw KennelError(.forbidden, "only admins can list other users' tokens")
        }
        return try await store.snapshot { store in try store.tokens(of: owner) }
    }

    /// Revokes a token: the requester's own, or anyone's for an admin. Revoking twice
    /// changes nothing.
    public func revokeToken(id: Int64, by requester: Requester) async throws -> APIToken {
        let now = environment.now()
        return try await store.transaction { store in
            guard let before = try store.token(id: id), requester.principal.isAdmin || before.user == requester.user else {
                throw KennelError.notFound("token", "\(id)")
            }
            guard before.revokedAt == nil else { return before }
            try store.revokeToken(id: id, at: now)
            let after = try store.token(id: id) ?? before
            try AuditTrail(requester: requester, at: now).record("token.revoke", "token", "\(id)", before: before, after: after, in: store)
            return after
        }
    }
}
