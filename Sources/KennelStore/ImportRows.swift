import GRDB
import KennelControl
import KennelModel

/// Imported machines' source ids (`machine_source`).
extension SQLiteTransaction {
    func machineFacts() throws -> [MachineFacts] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT m.name, l.address, l.mac, h.idc, m.cpus, m.memory_bytes, m.disk_bytes, m.team, m.service, m.owner
                    FROM machine m
                    JOIN lease l ON l.machine = m.name AND l.state = 'active'
                    JOIN host h ON h.name = m.host
                    """))
        return try Array(
            rows.map { row in
                MachineFacts(
                    name: try row.parsed("name"), ip: try row.address("address"), mac: try row.parsed("mac"), idc: try row.parsed("idc"),
                    cpus: try row.parsed("cpus"), memory: try row.bytes("memory_bytes"), disk: try row.bytes("disk_bytes"),
                    team: try row.parsedIfPresent("team"), service: try row.parsedIfPresent("service"), owner: try row.parsedIfPresent("owner"))
            })
    }

    func machineSources() throws -> [String: Hostname] {
        var sources: [String: Hostname] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT machine, source_id FROM machine_source")) {
            sources[row["source_id"]] = try row.parsed("machine")
        }
        return sources
    }

    func setSource(_ sourceID: String, of machine: Hostname) throws {
        if let holder = try String.fetchOne(db.cachedStatement(sql: "SELECT machine FROM machine_source WHERE source_id = ?"), arguments: [sourceID]),
            holder != machine.value
        {
            throw KennelError(.conflict, "source id \(sourceID) belongs to machine \(holder)")
        }
        try db.execute(
            cached:
                "INSERT INTO machine_source (machine, source_id) VALUES (?, ?) ON CONFLICT (machine) DO UPDATE SET source_id = excluded.source_id",
            arguments: [machine.value, sourceID])
    }

    func setOwnership(team: Hostname?, service: Label?, owner: Label?, of machine: Hostname) throws {
        try db.execute(
            cached: "UPDATE machine SET team = ?, service = ?, owner = ? WHERE name = ?",
            arguments: [team?.value, service?.value, owner?.value, machine.value])
    }

    func savepoint<Result>(_ body: () throws -> Result) throws -> Result {
        var result: Result?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw KennelError(.internal, "savepoint ended without its result") }
        return result
    }

    func appendImportRow(_ row: ImportOutcome.Row, position: Int, of operation: Int64) throws {
        try db.execute(
            cached: """
                INSERT INTO import_row (operation, position, file, row, source_name, source_id, machine, result, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [operation, position, row.file, row.row, row.sourceName, row.sourceID, row.machine, row.result.rawValue, row.reason])
    }

    func setImportRowResult(_ result: ImportOutcome.Result, reason: String?, position: Int, of operation: Int64) throws {
        try db.execute(
            cached: "UPDATE import_row SET result = ?, reason = ? WHERE operation = ? AND position = ?",
            arguments: [result.rawValue, reason, operation, position])
    }

    func importRows(of operation: Int64) throws -> [ImportOutcome.Row] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT file, row, source_name, source_id, machine, result, reason FROM import_row WHERE operation = ? ORDER BY position"),
            arguments: [operation])
        return try Array(
            rows.map { row in
                guard let result = ImportOutcome.Result(rawValue: try row.decode(String.self, "result")) else {
                    throw KennelError(.internal, "stored import row result is invalid")
                }
                return ImportOutcome.Row(
                    file: try row.decode(String?.self, "file"), row: try row.decode(Int.self, "row"),
                    sourceName: try row.decode(String.self, "source_name"), sourceID: try row.decode(String?.self, "source_id"),
                    machine: try row.decode(String?.self, "machine"), result: result, reason: try row.decode(String?.self, "reason"))
            })
    }
}
