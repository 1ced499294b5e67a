import Foundation
import GRDB
import KennelControl
import KennelModel

/// Users' SSH keys (`user_key`) and machines' host keys (`machine_host_key`).
extension SQLiteTransaction {
    func insertUserKey(_ key: UserKey) throws {
        try db.execute(
            sql: "INSERT INTO user_key (fingerprint, user, key, bits, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [key.fingerprint, key.user.value, key.key.description, key.bits, key.createdAt])
    }

    func userKeys(of user: Hostname) throws -> [UserKey] {
        try Row.fetchAll(db, sql: "SELECT * FROM user_key WHERE user = ? ORDER BY created_at, fingerprint", arguments: [user.value])
            .map(Self.userKey)
    }

    func deleteUserKey(of user: Hostname, fingerprint: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM user_key WHERE user = ? AND fingerprint = ?", arguments: [user.value, fingerprint])
        return db.changesCount == 1
    }

    func memberKeys(of team: Hostname) throws -> [UserKey] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT k.* FROM user_key k JOIN team_member m ON m.user = k.user
                WHERE m.team = ? ORDER BY k.user, k.created_at, k.fingerprint
                """, arguments: [team.value]
        ).map(Self.userKey)
    }

    func setHostKeys(_ keys: [SSHPublicKey], of machine: Hostname) throws {
        try db.execute(sql: "DELETE FROM machine_host_key WHERE machine = ?", arguments: [machine.value])
        for key in Set(keys) {
            try db.execute(sql: "INSERT INTO machine_host_key (machine, key) VALUES (?, ?)", arguments: [machine.value, key.description])
        }
    }

    func allHostKeys() throws -> [MachineHostKeys] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT m.name, m.team, l.address, k.key FROM machine_host_key k
                JOIN machine m ON m.name = k.machine
                JOIN lease l ON l.machine = m.name AND l.state = 'active'
                ORDER BY m.name, k.key
                """)
        var found: [MachineHostKeys] = []
        for row in rows {
            let name: Hostname = try row.parsed("name")
            let key: SSHPublicKey = try row.parsed("key")
            if let last = found.last, last.machine == name {
                found[found.count - 1] = MachineHostKeys(machine: name, ip: last.ip, team: last.team, keys: last.keys + [key])
            } else {
                found.append(MachineHostKeys(machine: name, ip: try row.address("address"), team: try row.parsedIfPresent("team"), keys: [key]))
            }
        }
        return found
    }

    private static func userKey(_ row: Row) throws -> UserKey {
        UserKey(
            user: try row.parsed("user"), key: try row.parsed("key"), fingerprint: try row.decode(String.self, "fingerprint"),
            bits: try row.decode(Int.self, "bits"), createdAt: try row.decode(Date.self, "created_at"))
    }
}
