import Foundation
import GRDB
import KennelControl
import KennelIPAM
import KennelModel
import KennelPlacement

/// One write transaction on the SQLite store.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    func machine(named name: Hostname) throws -> Machine? {
        try MachineRows.fetch(db, name: name).first
    }

    func idcExists(_ idc: Hostname) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM idc WHERE name = ?)"), arguments: [idc.value]) ?? false
    }

    func zoneExists(_ zone: Hostname, in idc: Hostname) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM zone WHERE idc = ? AND name = ?)"),
            arguments: [idc.value, zone.value]) ?? false
    }

    func pool(named name: Hostname) throws -> Pool? {
        try PoolRows.fetch(db, name: name).first
    }

    func pools(in idc: Hostname) throws -> [Pool] {
        try PoolRows.fetch(db, idc: idc)
    }

    func placementCandidates(in idc: Hostname, service: Label?) throws -> [HostCandidate] {
        let hosts = try HostRows.fetch(db, idc: idc)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT h.name AS host, u.cpus, u.memory_bytes AS memory, u.disk_bytes AS disk, u.ingress_bps, u.egress_bps,
                           COALESCE(s.machines, 0) AS service_machines
                    FROM host h
                    JOIN host_usage u ON u.host = h.name
                    LEFT JOIN host_service s ON s.host = h.name AND s.service = ?
                    WHERE h.idc = ?
                    """), arguments: [service?.value, idc.value])
        var usage: [String: (Resources, Int)] = [:]
        for row in rows {
            let used = Resources(
                cpus: try row.decode(Int.self, "cpus"), memory: try row.bytes("memory"), disk: try row.bytes("disk"),
                ingress: UInt64(clamping: try row.decode(Int64.self, "ingress_bps")),
                egress: UInt64(clamping: try row.decode(Int64.self, "egress_bps"))
            )
            usage[try row.decode(String.self, "host")] = (used, try row.decode(Int.self, "service_machines"))
        }
        return HostCandidate.make(
            hosts.map { host in
                let (used, serviceMachines) = usage[host.name.value] ?? (.zero, 0)
                return (host, used, serviceMachines)
            })
    }

    func lease(of address: IPv4Address, in pool: Hostname) throws -> Lease? {
        try LeaseRows.fetch(db, pool: pool, address: address).first
    }

    func leases(in pool: Hostname) throws -> [Lease] {
        try LeaseRows.fetch(db, pool: pool)
    }

    func quarantinedLease(of machine: Hostname) throws -> Lease? {
        try LeaseRows.quarantined(of: machine, db)
    }

    func releaseExpiredQuarantine(in pool: Hostname, at now: Date) throws {
        try LeaseRows.releaseExpired(in: pool, at: now, db)
    }

    func takeLowestFreeAddress(in pool: Hostname) throws -> IPv4Address? {
        try AddressAllocator.takeLowest(from: SQLiteFreeRuns(db: db, pool: pool)).map(IPv4Address.init)
    }

    func takeFreeAddress(_ address: IPv4Address, in pool: Hostname) throws -> Bool {
        try AddressAllocator.take(address.value, from: SQLiteFreeRuns(db: db, pool: pool))
    }

    func hasFreeAddress(in pool: Hostname) throws -> Bool {
        try SQLiteFreeRuns(db: db, pool: pool).lowest() != nil
    }

    func scoringPolicy() throws -> ScoringPolicy {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM setting WHERE key = 'placement.scoring'"))
        return text.flatMap { ScoringPolicy(rawValue: $0) } ?? .spread
    }

    func macInUse(_ mac: MACAddress) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM lease WHERE mac = ?)"), arguments: [mac.description]) ?? false
    }

    func insert(_ machine: Machine, reusingLease: Bool) throws {
        try MachineRows.insert(machine, reusingLease: reusingLease, db)
    }

    func setSpec(_ spec: MachineSpec, of name: Hostname) throws {
        try MachineRows.updateSpec(spec, of: name, db)
    }

    func setHost(_ host: Hostname, of name: Hostname) throws {
        try db.execute(cached: "UPDATE machine SET host = ? WHERE name = ?", arguments: [host.value, name.value])
    }

    func setState(_ state: MachineState, failure: String?, of name: Hostname) throws {
        try db.execute(
            cached: "UPDATE machine SET state = ?, failure = ? WHERE name = ?",
            arguments: [state.rawValue, failure, name.value])
        if state == .running {
            try db.execute(cached: "UPDATE lease SET carried_traffic = 1 WHERE machine = ? AND state = 'active'", arguments: [name.value])
        }
    }

    func deleteMachine(named name: Hostname, releasingAt now: Date) throws {
        try LeaseRows.release(of: name, at: now, db)
        try db.execute(cached: "DELETE FROM machine WHERE name = ?", arguments: [name.value])
    }

    func allPools() throws -> [Pool] {
        try PoolRows.fetch(db)
    }

    func save(_ pool: Pool) throws {
        try PoolRows.upsert(pool, db)
    }

    func deletePool(named name: Hostname) throws {
        try db.execute(cached: "DELETE FROM lease WHERE pool = ? AND state = 'quarantined'", arguments: [name.value])
        try db.execute(cached: "DELETE FROM pool WHERE name = ?", arguments: [name.value])
    }

    func usage(of pool: Pool, at now: Date) throws -> PoolUsage {
        let counts = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(SUM(state = 'active'), 0) AS used,
                           COALESCE(SUM(state = 'quarantined' AND quarantined_until > ?), 0) AS resting,
                           COALESCE(SUM(state = 'quarantined' AND quarantined_until <= ?), 0) AS expired
                    FROM lease WHERE pool = ?
                    """), arguments: [now, now, pool.name.value])
        let used = UInt64(try counts?.decode(Int64.self, "used") ?? 0)
        let resting = UInt64(try counts?.decode(Int64.self, "resting") ?? 0)
        let expired = UInt64(try counts?.decode(Int64.self, "expired") ?? 0)
        let free = try SQLiteFreeRuns(db: db, pool: pool.name).freeCount() + expired
        return PoolUsage(size: PoolLayout(pool: pool).size, used: used, quarantined: resting, free: free)
    }

    func insertIDC(_ name: Hostname) throws {
        try insertUnique("INSERT INTO idc (name) VALUES (?)", [name.value], what: "IDC \(name)")
    }

    func insertZone(_ key: ZoneKey) throws {
        try insertUnique("INSERT INTO zone (idc, name) VALUES (?, ?)", [key.idc.value, key.zone.value], what: "zone \(key.idc)/\(key.zone)")
    }

    func insertRack(_ location: SiteLocation) throws {
        try insertUnique(
            "INSERT INTO rack (idc, zone, name) VALUES (?, ?, ?)",
            [location.idc.value, location.zone.value, location.rack.value], what: "rack \(location)")
    }

    private func insertUnique(_ sql: String, _ arguments: [String], what: String) throws {
        do {
            try db.execute(cached: sql, arguments: StatementArguments(arguments))
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw KennelError(.nameTaken, "\(what) exists already", field: "name")
        }
    }

    func racks() throws -> [SiteLocation] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT idc, zone, name FROM rack ORDER BY idc, zone, name")).map { row in
            SiteLocation(idc: try row.parsed("idc"), zone: try row.parsed("zone"), rack: try row.parsed("name"))
        }
    }

    func zones() throws -> [ZoneKey] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT idc, name FROM zone ORDER BY idc, name")).map { row in
            ZoneKey(idc: try row.parsed("idc"), zone: try row.parsed("name"))
        }
    }

    func idcs() throws -> [Hostname] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM idc ORDER BY name")).map { text in
            do { return try Hostname(parsing: text) } catch { throw KennelError(.internal, "stored IDC '\(text)' is invalid") }
        }
    }

    func rackExists(_ location: SiteLocation) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM rack WHERE idc = ? AND zone = ? AND name = ?)"),
            arguments: [location.idc.value, location.zone.value, location.rack.value]) ?? false
    }

    func host(named name: Hostname) throws -> ComputeHost? {
        try HostRows.fetch(db, name: name).first
    }

    func allHosts() throws -> [ComputeHost] {
        try HostRows.fetch(db)
    }

    func save(_ host: ComputeHost) throws {
        try HostRows.upsert(host, db)
    }

    func deleteHost(named name: Hostname) throws {
        try db.execute(cached: "DELETE FROM host WHERE name = ?", arguments: [name.value])
    }

    func machineNames(on host: Hostname) throws -> [Hostname] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT name FROM machine WHERE host = ? ORDER BY name"), arguments: [host.value])
            .map { try $0.parsed("name") }
    }

    func locations(ofService service: Label) throws -> [SiteLocation] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT h.idc, h.zone, h.rack FROM machine m JOIN host h ON h.name = m.host WHERE m.service = ?"),
            arguments: [service.value]
        ).map { row in
            SiteLocation(idc: try row.parsed("idc"), zone: try row.parsed("zone"), rack: try row.parsed("rack"))
        }
    }

    func usage(of host: Hostname) throws -> Resources {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM host_usage WHERE host = ?"), arguments: [host.value]) else {
            return .zero
        }
        return Resources(
            cpus: try row.decode(Int.self, "cpus"), memory: try row.bytes("memory_bytes"), disk: try row.bytes("disk_bytes"),
            ingress: UInt64(clamping: try row.decode(Int64.self, "ingress_bps")), egress: UInt64(clamping: try row.decode(Int64.self, "egress_bps"))
        )
    }

    func apply(_ site: Site) throws {
        for idc in site.idcs {
            try db.execute(cached: "INSERT OR IGNORE INTO idc (name) VALUES (?)", arguments: [idc.value])
        }
        for zone in site.zones {
            try db.execute(cached: "INSERT OR IGNORE INTO zone (idc, name) VALUES (?, ?)", arguments: [zone.idc.value, zone.zone.value])
        }
        for rack in site.racks {
            try db.execute(
                cached: "INSERT OR IGNORE INTO rack (idc, zone, name) VALUES (?, ?, ?)",
                arguments: [rack.idc.value, rack.zone.value, rack.rack.value])
        }
        for host in site.hosts {
            if try self.host(named: host.name) == nil {
                try HostRows.upsert(host, db)
            } else {
                try db.execute(cached: "UPDATE host SET uri = ? WHERE name = ?", arguments: [host.uri.text, host.name.value])
            }
        }
        try db.execute(cached: "INSERT OR IGNORE INTO setting (key, value) VALUES ('placement.scoring', ?)", arguments: [site.scoring.rawValue])
        for pool in site.pools where try self.pool(named: pool.name) == nil { try PoolRows.upsert(pool, db) }
    }
}
