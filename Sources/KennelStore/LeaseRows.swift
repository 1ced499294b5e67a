import Foundation
import GRDB
import KennelIPAM
import KennelModel

/// Reads and writes the `lease` table.
enum LeaseRows {
    /// Every address of a pool that is not free: leased (active or quarantined) or
    /// borrowed by a bandwidth probe, ascending.
    static func addresses(in pool: Hostname, _ db: Database) throws -> [IPv4Address] {
        try Int64.fetchAll(
            db.cachedStatement(
                sql: "SELECT address FROM lease WHERE pool = ? UNION SELECT address FROM probe_address WHERE pool = ? ORDER BY address"),
            arguments: [pool.value, pool.value]
        ).map { IPv4Address(UInt32(truncatingIfNeeded: $0)) }
    }

    static func fetch(_ db: Database, pool: Hostname, address: IPv4Address? = nil) throws -> [Lease] {
        let filter = address == nil ? "" : "AND address = ?"
        var arguments: [any DatabaseValueConvertible] = [pool.value]
        if let address { arguments.append(Int64(address.value)) }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM lease WHERE pool = ? \(filter) ORDER BY address"),
            arguments: StatementArguments(arguments))
        return try rows.map(lease)
    }

    /// The quarantined lease last held by `machine`, if any.
    static func quarantined(of machine: Hostname, _ db: Database) throws -> Lease? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM lease WHERE machine = ? AND state = 'quarantined' ORDER BY released_at DESC LIMIT 1"),
            arguments: [machine.value]
        ).map(lease)
    }

    static func lease(_ row: Row) throws -> Lease {
        guard let state = LeaseState(rawValue: try row.decode(String.self, "state")) else {
            throw KennelError(.internal, "stored lease state is invalid")
        }
        return Lease(
            pool: try row.parsed("pool"), address: try row.address("address"), mac: try row.parsed("mac"),
            machine: try row.parsed("machine"), state: state,
            releasedAt: try row.decode(Date?.self, "released_at"), quarantinedUntil: try row.decode(Date?.self, "quarantined_until")
        )
    }

    /// Frees every address of `pool` whose quarantine ended at or before `now`.
    static func releaseExpired(in pool: Hostname, at now: Date, _ db: Database) throws {
        let expired = try Int64.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT address FROM lease WHERE pool = ? AND state = 'quarantined' AND quarantined_until <= ?
                    """), arguments: [pool.value, now])
        let runs = SQLiteFreeRuns(db: db, pool: pool)
        for address in expired {
            try db.execute(cached: "DELETE FROM lease WHERE pool = ? AND address = ?", arguments: [pool.value, address])
            try AddressAllocator.giveBack(UInt32(truncatingIfNeeded: address), to: runs)
        }
    }

    /// Ends the active lease of `machine`: quarantined until `now + quarantine`, or freed at
    /// once when the pool's quarantine is zero or the address never carried traffic (its
    /// machine never ran). Does nothing if the machine holds no active
    /// lease, so a repeated or concurrent release never frees an address twice.
    static func release(of machine: Hostname, at now: Date, _ db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT l.pool, l.address, l.carried_traffic, p.quarantine_seconds FROM lease l JOIN pool p ON p.name = l.pool
                        WHERE l.machine = ? AND l.state = 'active'
                        """), arguments: [machine.value])
        else { return }
        let pool: Hostname = try row.parsed("pool")
        let address = try row.decode(Int64.self, "address")
        let quarantine = try row.decode(Int.self, "quarantine_seconds")
        let carriedTraffic = try row.decode(Int.self, "carried_traffic") != 0
        if quarantine == 0 || !carriedTraffic {
            try db.execute(cached: "DELETE FROM lease WHERE pool = ? AND address = ?", arguments: [pool.value, address])
            try AddressAllocator.giveBack(UInt32(truncatingIfNeeded: address), to: SQLiteFreeRuns(db: db, pool: pool))
        } else {
            try db.execute(
                cached: """
                    UPDATE lease SET state = 'quarantined', released_at = ?, quarantined_until = ?
                    WHERE pool = ? AND address = ?
                    """, arguments: [now, now.addingTimeInterval(TimeInterval(quarantine)), pool.value, address])
        }
    }
}
