import GRDB
import KennelModel

/// Reads and writes the `host` and `host_vlan` tables.
enum HostRows {
    /// Hosts by name: every host, those of one IDC, or one by name.
    static func fetch(_ db: Database, idc: Hostname? = nil, name: Hostname? = nil) throws -> [ComputeHost] {
        let filter = SQLFilter([("idc", idc?.value), ("name", name?.value)])
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM host \(filter.clause) ORDER BY name", arguments: filter.statementArguments)
        let vlans = try vlansByHost(db, filter: filter)
        return try rows.map { row in try host(row, vlans: vlans) }
    }

    static func host(_ row: Row, vlans: [String: [VLANID]]) throws -> ComputeHost {
        let name: Hostname = try row.parsed("name")
        return ComputeHost(
            name: name,
            uri: try row.decode(String.self, "uri"),
            location: SiteLocation(idc: try row.parsed("idc"), zone: try row.parsed("zone"), rack: try row.parsed("rack")),
            capacity: Resources(
                cpus: try row.decode(Int.self, "cpus"), memory: try row.bytes("memory_bytes"), disk: try row.bytes("disk_bytes")
            ),
            overcommit: Overcommit(
                cpu: try row.decode(Double.self, "cpu_overcommit"),
                memory: try row.decode(Double.self, "memory_overcommit"),
                disk: try row.decode(Double.self, "disk_overcommit"),
                bandwidth: try row.decode(Double.self, "bandwidth_overcommit")
            ),
            bridge: try row.decode(String.self, "bridge"),
            vlans: vlans[name.value] ?? [],
            state: try HostState(rawValue: row.decode(String.self, "state")) ?? .down,
            bandwidth: try row.decode(Int64?.self, "bandwidth_bps").map { Bandwidth(bitsPerSecond: UInt64(clamping: $0)) },
            hostClass: try row.parsedIfPresent("class"),
            labels: try labels(row),
            volumes: try row.parsed("volumes")
        )
    }

    private static func labels(_ row: Row) throws -> [Label] {
        let text = try row.decode(String.self, "labels")
        return text.isEmpty ? [] : try CommaList<Label>(parsing: text).items
    }

    /// The VLANs of the hosts that `filter` (a WHERE clause on `host`) selects.
    static func vlansByHost(_ db: Database, filter: SQLFilter) throws -> [String: [VLANID]] {
        var result: [String: [VLANID]] = [:]
        let sql = "SELECT host, vlan FROM host_vlan WHERE host IN (SELECT name FROM host \(filter.clause)) ORDER BY host, vlan"
        for row in try Row.fetchAll(db, sql: sql, arguments: filter.statementArguments) {
            let vlan = try VLANID(parsing: String(try row.decode(Int.self, "vlan")))
            result[try row.decode(String.self, "host"), default: []].append(vlan)
        }
        return result
    }

    static func upsert(_ host: ComputeHost, _ db: Database) throws {
        try db.execute(
            cached: """
                INSERT INTO host (name, uri, idc, zone, rack, cpus, memory_bytes, disk_bytes,
                                  cpu_overcommit, memory_overcommit, disk_overcommit, bridge, state, bandwidth_bps, class, labels, volumes,
                                  bandwidth_overcommit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET
                    uri = excluded.uri, idc = excluded.idc, zone = excluded.zone, rack = excluded.rack,
                    cpus = excluded.cpus, memory_bytes = excluded.memory_bytes, disk_bytes = excluded.disk_bytes,
                    cpu_overcommit = excluded.cpu_overcommit, memory_overcommit = excluded.memory_overcommit,
                    disk_overcommit = excluded.disk_overcommit, bridge = excluded.bridge, state = excluded.state,
                    bandwidth_bps = excluded.bandwidth_bps, class = excluded.class, labels = excluded.labels,
                    volumes = excluded.volumes, bandwidth_overcommit = excluded.bandwidth_overcommit
                """,
            arguments: [
                host.name.value, host.uri.text, host.location.idc.value, host.location.zone.value, host.location.rack.value,
                host.capacity.cpus, Int64(host.capacity.memory.bytes), Int64(host.capacity.disk.bytes),
                host.overcommit.cpu, host.overcommit.memory, host.overcommit.disk, host.bridge, host.state.rawValue,
                host.bandwidth.map { Int64(clamping: $0.bitsPerSecond) }, host.hostClass?.value, CommaList(host.labels).description,
                host.volumes.description, host.overcommit.bandwidth,
            ])
        try db.execute(cached: "DELETE FROM host_vlan WHERE host = ?", arguments: [host.name.value])
        for vlan in Set(host.vlans) {
            try db.execute(cached: "INSERT INTO host_vlan (host, vlan) VALUES (?, ?)", arguments: [host.name.value, vlan.value])
        }
    }
}
