import Foundation
import GRDB
import KennelControl
import KennelModel

/// Users' SSH keys (`user_key`) and machines' host keys (`machine_host_key`).
extension SQLiteTransaction {
    func insertUserKey(_ key: UserKey) throws {
        try db.execute(
            cached: "INSERT INTO user_key (fingerprint, user, key, bits, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [key.fingerprint, key.user.value, key.key.description, key.bits, key.createdAt])
    }

    func userKeys(of user: Hostname) throws -> [UserKey] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM user_key WHERE user = ? ORDER BY created_at, fingerprint"), arguments: [user.value])
            .map(Self.userKey)
    }

    func allUserKeys() throws -> [Hostname: [SSHPublicKey]] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM user_key ORDER BY user, created_at, fingerprint")).map(Self.userKey)
            .reduce(into: [:]) { keys, key in keys[key.user, default: []].append(key.key) }
    }

    func userKeys(of users: [Hostname]) throws -> [SSHPublicKey] {
        guard !users.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: users.count).joined(separator: ", ")
        let keys = try Row.fetchAll(
            db, sql: "SELECT * FROM user_key WHERE user IN (\(placeholders)) ORDER BY created_at, fingerprint",
            arguments: StatementArguments(users.map(\.value))
        ).map(Self.userKey)
        let byUser = Dictionary(grouping: keys, by: \.user)
        return users.flatMap { byUser[$0]?.map(\.key) ?? [] }
    }

    func deleteUserKey(of user: Hostname, fingerprint: String) throws -> Bool {
        try db.execute(cached: "DELETE FROM user_key WHERE user = ? AND fingerprint = ?", arguments: [user.value, fingerprint])
        return db.changesCount == 1
    }

    func setHostKeys(_ keys: [SSHPublicKey], of machine: Hostname) throws {
        try db.execute(cached: "DELETE FROM machine_host_key WHERE machine = ?", arguments: [machine.value])
        for key in Set(keys) {
            try db.execute(cached: "INSERT INTO machine_host_key (machine, key) VALUES (?, ?)", arguments: [machine.value, key.description])
        }
    }

    func reachTargets() throws -> [BastionPolicy.Target] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT m.name, m.team, m.service, l.address FROM machine m
                    JOIN lease l ON l.machine = m.name AND l.state = 'active' ORDER BY m.name
                    """)
        ).map { row in
            BastionPolicy.Target(
                name: try row.parsed("name"), ip: try row.address("address"), team: try row.parsedIfPresent("team"),
                service: try row.parsedIfPresent("service"))
        }
    }

    func allHostKeys() throws -> [MachineHostKeys] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT m.name, m.team, m.service, l.address, k.key FROM machine_host_key k
                    JOIN machine m ON m.name = k.machine
                    JOIN lease l ON l.machine = m.name AND l.state = 'active'
                    ORDER BY m.name, k.key
                    """))
        var found: [MachineHostKeys] = []
        for row in rows {
            let name: Hostname = try row.parsed("name")
            let key: SSHPublicKey = try row.parsed("key")
            if let last = found.last, last.machine == name {
                found[found.count - 1] = MachineHostKeys(
                    machine: name, ip: last.ip, team: last.team, service: last.service, keys: last.keys + [key])
            } else {
                found.append(
                    MachineHostKeys(
                        machine: name, ip: try row.address("address"), team: try row.parsedIfPresent("team"),
                        service: try row.parsedIfPresent("service"), keys: [key]))
            }
        }
        return found
    }

    func userCAKey() throws -> SSHPublicKey? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM setting WHERE key = 'ssh.user_ca'")).flatMap { try? SSHPublicKey(parsing: $0) }
    }

    func setUserCAKey(_ key: SSHPublicKey) throws {
        try db.execute(
            cached: "INSERT INTO setting (key, value) VALUES ('ssh.user_ca', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [key.description])
    }

    private static func userKey(_ row: Row) throws -> UserKey {
        UserKey(
            user: try row.parsed("user"), key: try row.parsed("key"), fingerprint: try row.decode(String.self, "fingerprint"),
            bits: try row.decode(Int.self, "bits"), createdAt: try row.decode(Date.self, "created_at"))
    }
}

/// Grants (`access_grant`).
extension SQLiteTransaction {
    func insertGrant(_ grant: Grant) throws -> Grant {
        let (subjectKind, subject): (String, String) =
            switch grant.subject {
            case .user(let name): ("user", name.value)
            case .team(let name): ("team", name.value)
            }
        let (targetKind, target): (String, String) =
            switch grant.target {
            case .machine(let name): ("machine", name.value)
            case .service(let name): ("service", name.value)
            }
        try db.execute(
            cached: """
                INSERT INTO access_grant (subject_kind, subject, target_kind, target, expires_at, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [subjectKind, subject, targetKind, target, grant.expiresAt, grant.createdBy.value, grant.createdAt])
        return Grant(
            id: db.lastInsertedRowID, subject: grant.subject, target: grant.target, expiresAt: grant.expiresAt, createdBy: grant.createdBy,
            createdAt: grant.createdAt)
    }

    func allGrants() throws -> [Grant] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM access_grant ORDER BY id DESC")).map { row in
            let subject: Grant.Subject =
                try row.decode(String.self, "subject_kind") == "user" ? .user(try row.parsed("subject")) : .team(try row.parsed("subject"))
            let target: Grant.Target =
                try row.decode(String.self, "target_kind") == "machine"
                ? .machine(try row.parsed("target")) : .service(try row.parsed("target"))
            return Grant(
                id: try row.decode(Int64.self, "id"), subject: subject, target: target, expiresAt: try row.decode(Date?.self, "expires_at"),
                createdBy: try row.parsed("created_by"), createdAt: try row.decode(Date.self, "created_at"))
        }
    }

    func deleteGrant(id: Int64) throws -> Bool {
        try db.execute(cached: "DELETE FROM access_grant WHERE id = ?", arguments: [id])
        return db.changesCount == 1
    }
}
