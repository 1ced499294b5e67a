import Foundation
import GRDB
import KennelControl
import KennelModel

/// The `audit` table: append-only (triggers refuse updates and deletes).
extension SQLiteTransaction {
    func appendAudit(_ change: AuditChange, at time: Date) throws -> Int64 {
        try db.execute(
            cached: """
                INSERT INTO audit (at, user, action, target_kind, target, before, after, source, operation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                time, change.user, change.action, change.targetKind, change.target, change.before, change.after, change.source,
                change.operation,
            ])
        return db.lastInsertedRowID
    }

    func auditEntries(_ query: AuditQuery) throws -> [AuditEntry] {
        var filter = SQLFilter()
        if let kind = query.targetKind { filter.add("target_kind = ?", kind) }
        if let target = query.target { filter.add("target = ?", target) }
        if let user = query.user { filter.add("user = ?", user) }
        if let since = query.since { filter.add("at >= ?", since) }
        if let until = query.until { filter.add("at < ?", until) }
        if let after = query.after { filter.add("id > ?", after) }
        return try Row.fetchAll(
            db, sql: "SELECT * FROM audit \(filter.clause) ORDER BY id LIMIT ?", arguments: filter.arguments(appending: query.limit)
        ).map { row in
            AuditEntry(
                id: try row.decode(Int64.self, "id"), at: try row.decode(Date.self, "at"), user: try row.decode(String.self, "user"),
                action: try row.decode(String.self, "action"), targetKind: try row.decode(String.self, "target_kind"),
                target: try row.decode(String.self, "target"), before: try row.decode(String?.self, "before"),
                after: try row.decode(String?.self, "after"), source: try row.decode(String?.self, "source"),
                operation: try row.decode(Int64?.self, "operation"))
        }
    }
}
