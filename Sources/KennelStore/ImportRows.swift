import GRDB
import KennelControl
import KennelModel

/// Imported machines' source ids (`machine_source`).
extension SQLiteTransaction {
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
}
