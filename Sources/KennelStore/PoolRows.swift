import Foundation
import GRDB
import KennelIPAM
import KennelModel

/// Reads and writes the `pool`, `pool_zone` and `pool_free` tables.
enum PoolRows {
    static func fetch(_ db: Database, name: Hostname? = nil, idc: Hostname? = nil) throws -> [Pool] {
        let filter = SQLFilter([("name", name?.value), ("idc", idc?.value)])
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM pool \(filter.clause) ORDER BY name"), arguments: filter.statementArguments)
        return try rows.map { row in try pool(row, db) }
    }

    private static func pool(_ row: Row, _ db: Database) throws -> Pool {
        let name: Hostname = try row.parsed("name")
        let zones = try String.fetchAll(db.cachedStatement(sql: "SELECT zone FROM pool_zone WHERE pool = ? ORDER BY zone"), arguments: [name.value])
        do {
            return try Pool(
                name: name,
                cidr: try CIDR(network: try row.address("network"), prefix: try row.decode(Int.self, "prefix")),
                gateway: try row.address("gateway"),
                vlan: try VLANID(try row.decode(Int.self, "vlan")),
                idc: try row.parsed("idc"),
                zones: try zones.map { zone throws(InvalidValue) in try Hostname(parsing: zone) },
                ranges: try list(row, "ranges", of: AddressRange.self),
                exclusions: try list(row, "exclusions", of: AddressRange.self),
                dns: try list(row, "dns", of: IPv4Address.self),
                searchDomain: try row.parsedIfPresent("search_domain"),
                quarantine: try Period(seconds: try row.decode(Int.self, "quarantine_seconds"))
            )
        } catch let error as InvalidValue {
            throw KennelError(.internal, "stored pool \(name) is invalid: \(error.reason)")
        }
    }

    private static func list<Element: ParsableValue & Hashable>(_ row: Row, _ column: String, of type: Element.Type) throws -> [Element] {
        let text = try row.decode(String.self, column)
        guard !text.isEmpty else { return [] }
        return try CommaList<Element>(parsing: text).items
    }

    /// Inserts a new pool or updates a known one, then recomputes its free runs from its
    /// layout less every address leased (active or quarantined).
    static func upsert(_ pool: Pool, _ db: Database) throws {
        try db.execute(
            cached: """
                INSERT INTO pool (name, network, prefix, gateway, vlan, idc, ranges, exclusions, dns, search_domain, quarantine_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET
                    network = excluded.network, prefix = excluded.prefix, gateway = excluded.gateway,
                    vlan = excluded.vlan, idc = excluded.idc, ranges = excluded.ranges, exclusions = excluded.exclusions,
                    dns = excluded.dns, search_domain = excluded.search_domain, quarantine_seconds = excluded.quarantine_seconds
                """,
            arguments: [
                pool.name.value, Int64(pool.cidr.network.value), pool.cidr.prefix, Int64(pool.gateway.value),
                pool.vlan.value, pool.idc.value, CommaList(pool.ranges).description, CommaList(pool.exclusions).description,
                CommaList(pool.dns).description, pool.searchDomain?.value, pool.quarantine.seconds,
            ])
        try db.execute(cached: "DELETE FROM pool_zone WHERE pool = ?", arguments: [pool.name.value])
        for zone in Set(pool.zones) {
            try db.execute(
                cached: "INSERT INTO pool_zone (pool, idc, zone) VALUES (?, ?, ?)",
                arguments: [pool.name.value, pool.idc.value, zone.value])
        }
        let taken = try LeaseRows.addresses(in: pool.name, db)
        try SQLiteFreeRuns(db: db, pool: pool.name).reset(to: PoolLayout(pool: pool).freeRuns(taken: taken))
    }
}
