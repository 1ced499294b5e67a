import Foundation
import GRDB
import KennelModel

/// Reads and writes the `machine` and `lease` tables. A machine's address lives in its
/// lease, its prefix, gateway and VLAN in its pool, its rack in its host: nothing is
/// stored twice.
enum MachineRows {
    private static let select = """
        SELECT m.*, l.pool, l.address, l.mac, p.prefix, p.gateway, p.vlan, h.idc, h.zone, h.rack
        FROM machine m
        JOIN lease l ON l.machine = m.name AND l.state = 'active'
        JOIN pool p ON p.name = l.pool
        JOIN host h ON h.name = m.host
        """

    static func fetch(_ db: Database, name: Hostname? = nil) throws -> [Machine] {
        let filter = name == nil ? "" : "WHERE m.name = ?"
        // A cursor decodes row by row: 100,000 machines never sit in memory twice.
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "\(select) \(filter) ORDER BY m.name"),
            arguments: StatementArguments(name.map { [$0.value] } ?? []))
        return try Array(rows.map(machine))
    }

    static func machine(_ row: Row) throws -> Machine {
        let uuidText = try row.decode(String.self, "uuid")
        guard let uuid = UUID(uuidString: uuidText) else { throw KennelError(.internal, "stored uuid '\(uuidText)' is invalid") }
        guard let state = MachineState(rawValue: try row.decode(String.self, "state")) else {
            throw KennelError(.internal, "stored machine state is invalid")
        }
        let spec = MachineSpec(
            cpus: try row.parsed("cpus"),
            memory: try row.bytes("memory_bytes"),
            disk: try row.bytes("disk_bytes"),
            image: try row.parsed("image"),
            ingress: try row.decode(Int64?.self, "ingress_bps").map { Bandwidth(bitsPerSecond: UInt64(clamping: $0)) },
            egress: try row.decode(Int64?.self, "egress_bps").map { Bandwidth(bitsPerSecond: UInt64(clamping: $0)) },
            diskIO: DiskIOLimits(
                readBytesPerSecond: try row.decode(Int64?.self, "disk_read_bps").map { UInt64(clamping: $0) },
                writeBytesPerSecond: try row.decode(Int64?.self, "disk_write_bps").map { UInt64(clamping: $0) },
                readIOPS: try row.decode(Int64?.self, "disk_read_iops").map { UInt64(clamping: $0) },
                writeIOPS: try row.decode(Int64?.self, "disk_write_iops").map { UInt64(clamping: $0) }),
            filesystem: try row.parsed("filesystem"),
            memoryLimits: MemoryLimits(
                soft: try row.decode(Int64?.self, "memory_soft_bytes").map { ByteSize(bytes: UInt64(clamping: $0)) },
                swap: try row.decode(Int64?.self, "swap_bytes").map { ByteSize(bytes: UInt64(clamping: $0)) })
        )
        return Machine(
            name: try row.parsed("name"),
            uuid: uuid,
            state: state,
            spec: spec,
            host: try row.parsed("host"),
            location: SiteLocation(idc: try row.parsed("idc"), zone: try row.parsed("zone"), rack: try row.parsed("rack")),
            network: MachineNetwork(
                pool: try row.parsed("pool"),
                ip: try row.address("address"),
                prefix: try row.decode(Int.self, "prefix"),
                gateway: try row.address("gateway"),
                vlan: try row.parsed("vlan"),
                mac: try row.parsed("mac")
            ),
            service: try row.parsedIfPresent("service"),
            owner: try row.parsedIfPresent("owner"),
            team: try row.parsedIfPresent("team"),
            sshKeys: try sshKeys(row),
            failure: try row.decode(String?.self, "failure"),
            createdAt: try row.decode(Date.self, "created_at")
        )
    }

    private static func diskIOArguments(_ limits: DiskIOLimits) -> StatementArguments {
        [
            limits.readBytesPerSecond.map { Int64(clamping: $0) }, limits.writeBytesPerSecond.map { Int64(clamping: $0) },
            limits.readIOPS.map { Int64(clamping: $0) }, limits.writeIOPS.map { Int64(clamping: $0) },
        ]
    }

    private static func memoryArguments(_ limits: MemoryLimits) -> StatementArguments {
        [limits.soft.map { Int64(clamping: $0.bytes) }, limits.swap.map { Int64(clamping: $0.bytes) }]
    }

    /// Writes a machine's new size and limits.
    static func updateSpec(_ spec: MachineSpec, of name: Hostname, _ db: Database) throws {
        try db.execute(
            cached: """
                UPDATE machine SET cpus = ?, memory_bytes = ?, disk_bytes = ?, ingress_bps = ?, egress_bps = ?,
                                   disk_read_bps = ?, disk_write_bps = ?, disk_read_iops = ?, disk_write_iops = ?,
                                   memory_soft_bytes = ?, swap_bytes = ?
                WHERE name = ?
                """,
            arguments: [
                spec.cpus.value, Int64(spec.memory.bytes), Int64(spec.disk.bytes),
                spec.ingress.map { Int64($0.bitsPerSecond) }, spec.egress.map { Int64($0.bitsPerSecond) },
            ] + diskIOArguments(spec.diskIO) + memoryArguments(spec.memoryLimits) + [name.value])
    }

    /// Root's keys are stored one per line (a key never spans lines).
    private static func sshKeys(_ row: Row) throws -> [SSHPublicKey] {
        let lines: String = try row.decode(String.self, "ssh_keys")
        return try lines.split(separator: "\n").map { line throws(KennelError) -> SSHPublicKey in
            do { return try SSHPublicKey(parsing: String(line)) } catch {
                throw KennelError(.internal, "stored ssh key is invalid: \(error)")
            }
        }
    }

    static func insert(_ machine: Machine, reusingLease: Bool, _ db: Database) throws {
        let spec = machine.spec
        try db.execute(
            cached: """
                INSERT INTO machine (name, uuid, state, host, cpus, memory_bytes, disk_bytes, image,
                                     ingress_bps, egress_bps, service, owner, team, ssh_keys, failure, created_at,
                                     disk_read_bps, disk_write_bps, disk_read_iops, disk_write_iops, filesystem,
                                     memory_soft_bytes, swap_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                machine.name.value, machine.uuid.uuidString, machine.state.rawValue, machine.host.value,
                spec.cpus.value, Int64(spec.memory.bytes), Int64(spec.disk.bytes), spec.image.value,
                spec.ingress.map { Int64($0.bitsPerSecond) }, spec.egress.map { Int64($0.bitsPerSecond) },
                machine.service?.value, machine.owner?.value, machine.team?.value,
                machine.sshKeys.map(\.description).joined(separator: "\n"), machine.failure, machine.createdAt,
            ] + diskIOArguments(spec.diskIO) + [spec.filesystem.rawValue] + memoryArguments(spec.memoryLimits))
        let network = machine.network
        if reusingLease {
            try db.execute(
                cached: """
                    UPDATE lease SET state = 'active', machine = ?, mac = ?, released_at = NULL, quarantined_until = NULL
                    WHERE pool = ? AND address = ? AND state = 'quarantined'
                    """, arguments: [machine.name.value, network.mac.description, network.pool.value, Int64(network.ip.value)])
            guard db.changesCount == 1 else {
                throw KennelError(.ipInUse, "\(network.ip) is no longer quarantined for \(machine.name)", field: "ip")
            }
        } else {
            try db.execute(
                cached: "INSERT INTO lease (pool, address, mac, machine, state, carried_traffic) VALUES (?, ?, ?, ?, 'active', 0)",
                arguments: [
                    network.pool.value, Int64(network.ip.value), network.mac.description, machine.name.value,
                ])
        }
    }
}
