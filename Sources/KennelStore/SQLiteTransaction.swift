import Foundation
import GRDB
import KennelControl
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
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM idc WHERE name = ?)", arguments: [idc.value]) ?? false
    }

    func zoneExists(_ zone: Hostname, in idc: Hostname) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM zone WHERE idc = ? AND name = ?)",
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
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.host,
                   SUM(m.cpus) AS cpus, SUM(m.memory_bytes) AS memory, SUM(m.disk_bytes) AS disk,
                   SUM(CASE WHEN m.service = ? THEN 1 ELSE 0 END) AS service_machines
            FROM machine m JOIN host h ON h.name = m.host
            WHERE h.idc = ?
            GROUP BY m.host
            """, arguments: [service?.value, idc.value])
        var usage: [String: (Resources, Int)] = [:]
        for row in rows {
            let used = Resources(cpus: try row.decode(Int.self, "cpus"), memory: try row.bytes("memory"), disk: try row.bytes("disk"))
            usage[try row.decode(String.self, "host")] = (used, try row.decode(Int.self, "service_machines"))
        }
        return hosts.map { host in
            let (used, serviceMachines) = usage[host.name.value] ?? (.zero, 0)
            return HostCandidate(host: host, used: used, serviceMachines: serviceMachines)
        }
    }

    func leasedAddresses(in pool: Hostname) throws -> [IPv4Address] {
        try Int64.fetchAll(db, sql: "SELECT address FROM lease WHERE pool = ? ORDER BY address", arguments: [pool.value])
            .map { IPv4Address(UInt32(truncatingIfNeeded: $0)) }
    }

    func leaseHolder(of address: IPv4Address, in pool: Hostname) throws -> Hostname? {
        guard let name = try String.fetchOne(db, sql: "SELECT machine FROM lease WHERE pool = ? AND address = ?",
                                             arguments: [pool.value, Int64(address.value)])
        else { return nil }
        return try Hostname(parsing: name)
    }

    func insert(_ machine: Machine) throws {
        try MachineRows.insert(machine, db)
    }

    func setState(_ state: MachineState, failure: String?, of name: Hostname) throws {
        try db.execute(sql: "UPDATE machine SET state = ?, failure = ? WHERE name = ?",
                       arguments: [state.rawValue, failure, name.value])
    }

    func deleteMachine(named name: Hostname) throws {
        try db.execute(sql: "DELETE FROM lease WHERE machine = ?", arguments: [name.value])
        try db.execute(sql: "DELETE FROM machine WHERE name = ?", arguments: [name.value])
    }

    func beginOperation(_ kind: OperationKind, machine: Hostname, at time: Date) throws -> Int64 {
        try db.execute(sql: "INSERT INTO operation (kind, machine, started_at) VALUES (?, ?, ?)",
                       arguments: [kind.rawValue, machine.value, time])
        return db.lastInsertedRowID
    }

    func finishOperation(_ id: Int64, error: String?, at time: Date) throws {
        try db.execute(sql: "UPDATE operation SET error = ?, finished_at = ? WHERE id = ?", arguments: [error, time, id])
    }

    func apply(_ site: Site) throws {
        for idc in site.idcs {
            try db.execute(sql: "INSERT OR IGNORE INTO idc (name) VALUES (?)", arguments: [idc.value])
        }
        for zone in site.zones {
            try db.execute(sql: "INSERT OR IGNORE INTO zone (idc, name) VALUES (?, ?)", arguments: [zone.idc.value, zone.zone.value])
        }
        for rack in site.racks {
            try db.execute(sql: "INSERT OR IGNORE INTO rack (idc, zone, name) VALUES (?, ?, ?)",
                           arguments: [rack.idc.value, rack.zone.value, rack.rack.value])
        }
        for host in site.hosts { try HostRows.upsert(host, db) }
        for pool in site.pools { try PoolRows.upsert(pool, db) }
    }
}
