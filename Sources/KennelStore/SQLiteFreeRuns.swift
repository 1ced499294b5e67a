import GRDB
import KennelIPAM
import KennelModel

/// One pool's free runs in the `pool_free` table; every lookup uses an index on
/// (pool, first) or (pool, last).
struct SQLiteFreeRuns: FreeRunIndex {
    let db: Database
    let pool: Hostname

    func lowest() throws -> ClosedRange<UInt32>? {
        try fetch("SELECT first, last FROM pool_free WHERE pool = ? ORDER BY first LIMIT 1", [pool.value])
    }

    func run(containing value: UInt32) throws -> ClosedRange<UInt32>? {
        let candidate = try fetch(
            "SELECT first, last FROM pool_free WHERE pool = ? AND first <= ? ORDER BY first DESC LIMIT 1",
            [pool.value, Int64(value)]
        )
        return candidate.flatMap { $0.contains(value) ? $0 : nil }
    }

    func run(endingAt value: UInt32) throws -> ClosedRange<UInt32>? {
        try fetch("SELECT first, last FROM pool_free WHERE pool = ? AND last = ?", [pool.value, Int64(value)])
    }

    func run(startingAt value: UInt32) throws -> ClosedRange<UInt32>? {
        try fetch("SELECT first, last FROM pool_free WHERE pool = ? AND first = ?", [pool.value, Int64(value)])
    }

    func remove(_ run: ClosedRange<UInt32>) throws {
        try db.execute(cached: "DELETE FROM pool_free WHERE pool = ? AND first = ?", arguments: [pool.value, Int64(run.lowerBound)])
    }

    func insert(_ run: ClosedRange<UInt32>) throws {
        try db.execute(
            cached: "INSERT INTO pool_free (pool, first, last) VALUES (?, ?, ?)",
            arguments: [pool.value, Int64(run.lowerBound), Int64(run.upperBound)])
    }

    /// Replaces every run of the pool with `set`.
    func reset(to set: IntervalSet) throws {
        try db.execute(cached: "DELETE FROM pool_free WHERE pool = ?", arguments: [pool.value])
        for run in set.ranges { try insert(run) }
    }

    /// How many addresses are free.
    func freeCount() throws -> UInt64 {
        UInt64(
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT COALESCE(SUM(last - first + 1), 0) FROM pool_free WHERE pool = ?"),
                arguments: [pool.value]) ?? 0)
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) throws -> ClosedRange<UInt32>? {
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
        let first: Int64 = try row.decode(Int64.self, "first")
        let last: Int64 = try row.decode(Int64.self, "last")
        return UInt32(truncatingIfNeeded: first)...UInt32(truncatingIfNeeded: last)
    }
}
