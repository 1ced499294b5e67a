import GRDB
import KennelIPAM
import KennelModel

/// The `probe_address` table: pool addresses a bandwidth self-test borrows for its peer
/// while it runs, out of the pool's free addresses like a lease.
extension SQLiteTransaction {
    func takeProbeAddress(in pool: Hostname, for operation: Int64) throws -> IPv4Address? {
        guard let address = try AddressAllocator.takeLowest(from: SQLiteFreeRuns(db: db, pool: pool)) else { return nil }
        try db.execute(
            cached: "INSERT INTO probe_address (pool, address, operation) VALUES (?, ?, ?)",
            arguments: [pool.value, Int64(address), operation])
        return IPv4Address(address)
    }

    func releaseProbeAddress(of operation: Int64) throws {
        try release(try Row.fetchAll(db.cachedStatement(sql: "SELECT pool, address FROM probe_address WHERE operation = ?"), arguments: [operation]))
    }

    func releaseAllProbeAddresses() throws -> Int {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT pool, address FROM probe_address"))
        try release(rows)
        return rows.count
    }

    private func release(_ rows: [Row]) throws {
        for row in rows {
            let pool: Hostname = try row.parsed("pool")
            let address = try row.decode(Int64.self, "address")
            try db.execute(cached: "DELETE FROM probe_address WHERE pool = ? AND address = ?", arguments: [pool.value, address])
            try AddressAllocator.giveBack(UInt32(truncatingIfNeeded: address), to: SQLiteFreeRuns(db: db, pool: pool))
        }
    }
}
