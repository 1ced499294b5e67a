import Foundation
import GRDB
import KennelControl
import KennelModel

/// The `operation` and `operation_step` tables.
extension SQLiteTransaction {
    func beginOperation(
        _ kind: OperationKind, machine: Hostname, team: Hostname?, requestedBy: String, state: OperationState, at time: Date
    ) throws -> Int64 {
        try db.execute(
            cached: "INSERT INTO operation (kind, machine, team, requested_by, state, started_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [kind.rawValue, machine.value, team?.value, requestedBy, state.rawValue, time])
        return db.lastInsertedRowID
    }

    func startOperation(_ id: Int64, steps: Int, at time: Date) throws -> Bool {
        try db.execute(
            cached: "UPDATE operation SET state = 'running', total_steps = ? WHERE id = ? AND state IN ('pending', 'running')",
            arguments: [steps, id])
        return db.changesCount == 1
    }

    func finishOperation(_ id: Int64, state: OperationState, failure: OperationFailure?, at time: Date) throws {
        let cause = failure.map { failure in failure.cause.map { "\(failure.message): \($0)" } ?? failure.message }
        try db.execute(
            cached: "UPDATE operation SET state = ?, error = ?, error_code = ?, message = ?, finished_at = ? WHERE id = ?",
            arguments: [state.rawValue, cause, failure?.code.rawValue, failure?.message, time, id])
    }

    func setResult(_ result: OperationResult, of id: Int64) throws {
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        try db.execute(cached: "UPDATE operation SET result = ? WHERE id = ?", arguments: [json, id])
    }

    func cancelOperation(_ id: Int64, at time: Date) throws -> Bool {
        try db.execute(
            cached: "UPDATE operation SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'pending'", arguments: [time, id])
        return db.changesCount == 1
    }

    func operation(id: Int64) throws -> OperationRecord? {
        var filter = SQLFilter()
        filter.add("id = ?", id)
        return try operations(filter, limit: 1).first
    }

    func operations(_ query: OperationQuery) throws -> [OperationRecord] {
        var filter = SQLFilter()
        if let state = query.state { filter.add("state = ?", state.rawValue) }
        if let machine = query.machine { filter.add("machine = ?", machine.value) }
        if let kind = query.kind { filter.add("kind = ?", kind.rawValue) }
        if let teams = query.teams {
            // Team names are RFC 1123 labels: a JSON array of them is safe to build.
            filter.add("team IN (SELECT value FROM json_each(?))", "[" + teams.map { "\"\($0.value)\"" }.joined(separator: ",") + "]")
        }
        return try operations(filter, limit: query.limit)
    }

    func interruptUnfinishedOperations(at time: Date) throws -> [OperationRecord] {
        var filter = SQLFilter()
        filter.add("state IN ('pending', 'running')")
        let unfinished = try operations(filter, limit: Int.max)
        let failure = OperationFailure(code: .hostFailure, message: "interrupted by restart")
        for operation in unfinished {
            try db.execute(
                cached:
                    "UPDATE operation_step SET outcome = 'failed', error = 'interrupted by restart', finished_at = ? WHERE operation = ? AND outcome = 'running'",
                arguments: [time, operation.id])
            try finishOperation(operation.id, state: .failed, failure: failure, at: time)
        }
        return unfinished
    }

    private func operations(_ filter: SQLFilter, limit: Int) throws -> [OperationRecord] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM operation \(filter.clause) ORDER BY id DESC LIMIT ?", arguments: filter.arguments(appending: limit))
        return try rows.map { row in
            let id = try row.decode(Int64.self, "id")
            let code: String? = try row.decode(String?.self, "error_code")
            let message: String? = try row.decode(String?.self, "message")
            let failure = code.map { code in
                OperationFailure(
                    code: KennelError.Code(rawValue: code), message: message ?? "failed", cause: try? row.decode(String?.self, "error"))
            }
            guard let state = OperationState(rawValue: try row.decode(String.self, "state")) else {
                throw KennelError(.internal, "stored operation state is invalid")
            }
            return OperationRecord(
                id: id, kind: try row.parsed("kind"), machine: try row.parsed("machine"), team: try row.parsedIfPresent("team"),
                state: state, requestedBy: try row.decode(String.self, "requested_by"), createdAt: try row.decode(Date.self, "started_at"),
                finishedAt: try row.decode(Date?.self, "finished_at"), failure: failure, steps: try steps(of: id),
                totalSteps: try row.decode(Int.self, "total_steps"), result: try Self.result(row))
        }
    }

    /// The operation's stored result; one that no longer decodes is left out.
    private static func result(_ row: Row) throws -> OperationResult? {
        guard let json = try row.decode(String?.self, "result") else { return nil }
        return try? JSONDecoder().decode(OperationResult.self, from: Data(json.utf8))
    }

    func beginStep(of operation: Int64, position: Int, name: String, at time: Date) throws {
        try db.execute(
            cached: "INSERT OR REPLACE INTO operation_step (operation, position, name, started_at) VALUES (?, ?, ?, ?)",
            arguments: [operation, position, name, time])
    }

    func endStep(of operation: Int64, position: Int, outcome: StepOutcome, error: String?, at time: Date) throws {
        try db.execute(
            cached: "UPDATE operation_step SET outcome = ?, error = COALESCE(?, error), finished_at = ? WHERE operation = ? AND position = ?",
            arguments: [outcome.rawValue, error, time, operation, position])
    }

    func steps(of operation: Int64) throws -> [OperationStep] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM operation_step WHERE operation = ? ORDER BY position"), arguments: [operation]
        ).map { row in
            OperationStep(
                position: row["position"], name: row["name"], outcome: StepOutcome(rawValue: row["outcome"]) ?? .running,
                error: row["error"], startedAt: row["started_at"], finishedAt: row["finished_at"])
        }
    }
}
