import GRDB
import KennelModel

/// Reads and writes the `pool` and `pool_zone` tables.
enum PoolRows {
    static func fetch(_ db: Database, name: Hostname? = nil, idc: Hostname? = nil) throws -> [Pool] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let name { conditions.append("name = ?"); arguments.append(name.value) }
        if let idc { conditions.append("idc = ?"); arguments.append(idc.value) }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM pool \(filter) ORDER BY name", arguments: StatementArguments(arguments))
        return try rows.map { row in
            let name: Hostname = try row.parsed("name")
            let zones = try String.fetchAll(db, sql: "SELECT zone FROM pool_zone WHERE pool = ? ORDER BY zone", arguments: [name.value])
            do {
                return try Pool(
                    name: name,
                    cidr: try CIDR(network: try row.address("network"), prefix: try row.decode(Int.self, "prefix")),
                    gateway: try row.address("gateway"),
                    vlan: try VLANID(try row.decode(Int.self, "vlan")),
                    idc: try row.parsed("idc"),
                    zones: try zones.map { zone throws(InvalidValue) in try Hostname(parsing: zone) }
                )
            } catch let error as InvalidValue {
                throw KennelError(.internal, "stored pool \(name) is invalid: \(error.reason)")
            }
        }
    }

    static func upsert(_ pool: Pool, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO pool (name, network, prefix, gateway, vlan, idc) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                network = excluded.network, prefix = excluded.prefix, gateway = excluded.gateway,
                vlan = excluded.vlan, idc = excluded.idc
            """, arguments: [
                pool.name.value, Int64(pool.cidr.network.value), pool.cidr.prefix,
                Int64(pool.gateway.value), pool.vlan.value, pool.idc.value,
            ])
        try db.execute(sql: "DELETE FROM pool_zone WHERE pool = ?", arguments: [pool.name.value])
        for zone in Set(pool.zones) {
            try db.execute(sql: "INSERT INTO pool_zone (pool, idc, zone) VALUES (?, ?, ?)",
                           arguments: [pool.name.value, pool.idc.value, zone.value])
        }
    }
}
