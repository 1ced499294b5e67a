import Foundation
import GRDB
import KennelControl
import KennelModel

/// Users, teams, memberships and tokens (`api_user`, `api_team`, `team_member`,
/// `api_token`). Tokens are stored only as their SHA-256.
extension SQLiteTransaction {
    func userCount() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM api_user")) ?? 0
    }

    func user(named name: Hostname) throws -> User? {
        try users(where: "WHERE u.name = ?", [name.value]).first
    }

    func allUsers() throws -> [User] { try users(where: "", []) }

    private func users(where filter: String, _ arguments: [String]) throws -> [User] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT u.name, u.role, u.created_at, group_concat(m.team, ',') AS teams
                FROM api_user u LEFT JOIN team_member m ON m.user = u.name
                \(filter) GROUP BY u.name ORDER BY u.name
                """, arguments: StatementArguments(arguments))
        return try rows.map { row in
            User(
                name: try row.parsed("name"), role: try row.parsed("role"), teams: try Self.names(row, "teams"),
                createdAt: try row.decode(Date.self, "created_at"))
        }
    }

    func insertUser(_ user: User) throws {
        try db.execute(
            cached: "INSERT INTO api_user (name, role, created_at) VALUES (?, ?, ?)",
            arguments: [user.name.value, user.role.rawValue, user.createdAt])
    }

    func setRole(_ role: Role, of user: Hostname) throws {
        try db.execute(cached: "UPDATE api_user SET role = ? WHERE name = ?", arguments: [role.rawValue, user.value])
    }

    func deleteUser(named name: Hostname) throws {
        try db.execute(cached: "DELETE FROM api_user WHERE name = ?", arguments: [name.value])
    }

    func team(named name: Hostname) throws -> Team? {
        try teams(where: "WHERE t.name = ?", [name.value]).first
    }

    func allTeams() throws -> [Team] { try teams(where: "", []) }

    private func teams(where filter: String, _ arguments: [String]) throws -> [Team] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT t.name, t.created_at, group_concat(m.user, ',') AS members
                FROM api_team t LEFT JOIN team_member m ON m.team = t.name
                \(filter) GROUP BY t.name ORDER BY t.name
                """, arguments: StatementArguments(arguments))
        return try rows.map { row in
            Team(name: try row.parsed("name"), members: try Self.names(row, "members"), createdAt: try row.decode(Date.self, "created_at"))
        }
    }

    /// A comma-joined list of names, sorted (group_concat's order is unspecified).
    private static func names(_ row: Row, _ column: String) throws -> [Hostname] {
        guard let joined: String = try row.decode(String?.self, column) else { return [] }
        return try joined.split(separator: ",").map { text throws(KennelError) -> Hostname in
            do { return try Hostname(parsing: String(text)) } catch { throw KennelError(.internal, "stored \(column) name is invalid") }
        }.sorted()
    }

    func insertTeam(_ team: Team) throws {
        try db.execute(cached: "INSERT INTO api_team (name, created_at) VALUES (?, ?)", arguments: [team.name.value, team.createdAt])
    }

    func deleteTeam(named name: Hostname) throws {
        try db.execute(cached: "DELETE FROM api_team WHERE name = ?", arguments: [name.value])
    }

    func addMember(_ user: Hostname, to team: Hostname) throws -> Bool {
        try db.execute(cached: "INSERT OR IGNORE INTO team_member (team, user) VALUES (?, ?)", arguments: [team.value, user.value])
        return db.changesCount == 1
    }

    func removeMember(_ user: Hostname, from team: Hostname) throws -> Bool {
        try db.execute(cached: "DELETE FROM team_member WHERE team = ? AND user = ?", arguments: [team.value, user.value])
        return db.changesCount == 1
    }

    func machineCount(ofTeam team: Hostname) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM machine WHERE team = ?"), arguments: [team.value]) ?? 0
    }

    func insertToken(user: Hostname, name: Label, sha256: String, createdAt: Date, expiresAt: Date) throws -> APIToken {
        try db.execute(
            cached: "INSERT INTO api_token (user, name, sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [user.value, name.value, sha256, createdAt, expiresAt])
        return APIToken(
            id: db.lastInsertedRowID, user: user, name: name, createdAt: createdAt, expiresAt: expiresAt, revokedAt: nil, lastUsedAt: nil)
    }

    func token(withSHA256 sha256: String) throws -> APIToken? {
        try tokens(where: "WHERE sha256 = ?", [sha256]).first
    }

    func token(id: Int64) throws -> APIToken? {
        try tokens(where: "WHERE id = ?", [id]).first
    }

    func tokens(of user: Hostname?) throws -> [APIToken] {
        guard let user else { return try tokens(where: "", []) }
        return try tokens(where: "WHERE user = ?", [user.value])
    }

    private func tokens(where filter: String, _ arguments: [any DatabaseValueConvertible]) throws -> [APIToken] {
        try Row.fetchAll(
            db, sql: "SELECT id, user, name, created_at, expires_at, revoked_at, last_used_at FROM api_token \(filter) ORDER BY id DESC",
            arguments: StatementArguments(arguments)
        ).map { row in
            APIToken(
                id: try row.decode(Int64.self, "id"), user: try row.parsed("user"), name: try row.parsed("name"),
                createdAt: try row.decode(Date.self, "created_at"), expiresAt: try row.decode(Date.self, "expires_at"),
                revokedAt: try row.decode(Date?.self, "revoked_at"), lastUsedAt: try row.decode(Date?.self, "last_used_at"))
        }
    }

    func revokeToken(id: Int64, at time: Date) throws {
        try db.execute(cached: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [time, id])
    }

    func markTokenUsed(id: Int64, at time: Date) throws {
        try db.execute(cached: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [time, id])
    }
}
