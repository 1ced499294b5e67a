import Foundation
import GRDB
import KennelControl
import KennelModel

/// The `event` table: a bounded log, pruned from the oldest end.
extension SQLiteTransaction {
    func appendEvent(_ event: EventDraft, at time: Date) throws -> Int64 {
        try db.execute(
            cached: "INSERT INTO event (at, type, machine, operation, team, data) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [time, event.type, event.machine?.value, event.operation, event.team?.value, event.data])
        return db.lastInsertedRowID
    }

    func events(after id: Int64, matching filter: EventFilter, limit: Int) throws -> [KennelEvent] {
        // Filters on type prefixes and teams are applied in Swift (`EventFilter.admits`);
        // the machine narrows the scan in SQL.
        var found: [KennelEvent] = []
        var cursor = id
        while found.count < limit {
            var page = SQLFilter()
            page.add("id > ?", cursor)
            if let machine = filter.machine { page.add("machine = ?", machine.value) }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM event \(page.clause) ORDER BY id LIMIT 500", arguments: page.statementArguments)
            guard !rows.isEmpty else { break }
            for row in rows {
                let event = KennelEvent(
                    id: try row.decode(Int64.self, "id"), at: try row.decode(Date.self, "at"), type: try row.decode(String.self, "type"),
                    machine: try row.parsedIfPresent("machine"), operation: try row.decode(Int64?.self, "operation"),
                    team: try row.parsedIfPresent("team"), data: try row.decode(String.self, "data"))
                cursor = event.id
                if filter.admits(event) { found.append(event) }
                if found.count == limit { break }
            }
        }
        return found
    }

    func lastEventID() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) FROM event")) ?? 0
    }

    func firstEventID() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MIN(id), 0) FROM event")) ?? 0
    }

    func pruneEvents(keeping count: Int) throws {
        try db.execute(cached: "DELETE FROM event WHERE id <= (SELECT MAX(id) FROM event) - ?", arguments: [count])
    }
}
