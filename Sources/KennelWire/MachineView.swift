import Foundation
import KennelModel

/// A machine as the API shows it. The CLI decodes the same type.
public struct MachineView: Codable, Sendable, Equatable {
    public let name: String
    public let uuid: String
    public let state: String
    public let failure: String?
    public let idc: String
    public let zone: String
    public let rack: String
    public let host: String
    public let pool: String
    public let ip: String
    public let prefix: Int
    public let gateway: String
    public let vlan: Int
    public let mac: String
    public let cpus: Int
    public let memory: String
    public let memoryBytes: UInt64
    public let disk: String
    public let diskBytes: UInt64
    public let image: String
    public let ingress: String?
    public let egress: String?
    /// Throttles on the root volume, bytes per second (`20M`) and operations per second;
    /// null when unthrottled.
    public let diskReadBps: String?
    public let diskWriteBps: String?
    public let diskReadIops: UInt64?
    public let diskWriteIops: UInt64?
    /// The root volume's filesystem: `xfs` or `ext4`.
    public let filesystem: String
    /// The memory soft limit (`512M`); null for none.
    public let memorySoft: String?
    /// Swap allowed beyond memory (`0` for none); null when swap is not limited.
    public let swap: String?
    /// The most processes and threads the machine may have at once (one per 128 KiB of
    /// memory, at least 1024; a host gives at most a quarter of the tasks it holds).
    public let processes: Int
    public let service: String?
    public let owner: String?
    /// The team whose members reach it; null for a machine only admins reach.
    public let team: String?
    /// Root's authorized keys as given at create.
    public let sshKeys: [String]
    /// `up` or `down` (shown by `GET /machines/{name}` on real hosts only).
    public let sshd: String?
    /// supervisord's programs (shown by `GET /machines/{name}` on real hosts only).
    public let programs: [ProgramView]?
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case name, uuid, state, failure, idc, zone, rack, host, pool, ip, prefix, gateway, vlan, mac
        case cpus, memory, disk, image, ingress, egress, filesystem, service, owner, team, sshd, programs
        case sshKeys = "ssh_keys"
        case memoryBytes = "memory_bytes"
        case memorySoft = "memory_soft"
        case swap, processes
        case diskBytes = "disk_bytes"
        case diskReadBps = "disk_read_bps"
        case diskWriteBps = "disk_write_bps"
        case diskReadIops = "disk_read_iops"
        case diskWriteIops = "disk_write_iops"
        case createdAt = "created_at"
    }

    /// The view of `machine`, with what runs inside it when known.
    public init(_ machine: Machine, health: MachineHealth? = nil) {
        name = machine.name.value
        uuid = machine.uuid.uuidString.lowercased()
        state = machine.state.rawValue
        failure = machine.failure
        idc = machine.location.idc.value
        zone = machine.location.zone.value
        rack = machine.location.rack.value
        host = machine.host.value
        pool = machine.network.pool.value
        ip = machine.network.ip.description
        prefix = machine.network.prefix
        gateway = machine.network.gateway.description
        vlan = machine.network.vlan.value
        mac = machine.network.mac.description
        cpus = machine.spec.cpus.value
        memory = machine.spec.memory.description
        memoryBytes = machine.spec.memory.bytes
        disk = machine.spec.disk.description
        diskBytes = machine.spec.disk.bytes
        image = machine.spec.image.value
        ingress = machine.spec.ingress?.description
        egress = machine.spec.egress?.description
        diskReadBps = machine.spec.diskIO.readBytesPerSecond.map { ByteSize(bytes: $0).description }
        diskWriteBps = machine.spec.diskIO.writeBytesPerSecond.map { ByteSize(bytes: $0).description }
        diskReadIops = machine.spec.diskIO.readIOPS
        diskWriteIops = machine.spec.diskIO.writeIOPS
        filesystem = machine.spec.filesystem.rawValue
        memorySoft = machine.spec.memoryLimits.soft?.description
        swap = machine.spec.memoryLimits.swap.map { $0.bytes == 0 ? "0" : $0.description }
        processes = machine.spec.processLimit
        service = machine.service?.value
        owner = machine.owner?.value
        team = machine.team?.value
        sshKeys = machine.sshKeys.map(\.description)
        sshd = health?.sshd.rawValue
        programs = health?.programs.map(ProgramView.init)
        createdAt = machine.createdAt
    }
}

/// One supervisord program inside a machine.
public struct ProgramView: Codable, Sendable, Equatable {
    public let name: String
    public let state: String
    public let detail: String

    /// The view of `program`.
    public init(_ program: ProgramStatus) {
        name = program.name
        state = program.state
        detail = program.detail
    }
}

/// The answer to `GET /api/v1/machines`.
public struct MachineList: Codable, Sendable {
    public let machines: [MachineView]
    public let count: Int

    /// Creates the list.
    public init(_ machines: [MachineView]) {
        self.machines = machines
        count = machines.count
    }
}
