import Foundation
import KennelModel

/// Kennel's inventory in forms the importer reads back (the round trip): a CSV or JSON
/// list with one machine per row (`name, ip, mac, cpus, memory, disk, idc, zone, rack,
/// host, team, service, owner, state, id`), or NetBox's virtual machine and IP address
/// CSVs (`site` = IDC, `cluster` = zone, `role` = service, `tenant` = team, sizes in MB).
/// Each machine's id is the source id it was imported with, else `kennel:UUID`.
public enum InventoryExport {
    /// One machine as exported.
    public struct Entry: Sendable, Equatable, Codable {
        public let name: String
        public let ip: String
        public let prefix: Int
        public let mac: String
        public let cpus: Int
        public let memory: String
        public let disk: String
        public let idc: String
        public let zone: String
        public let rack: String
        public let host: String
        public let team: String?
        public let service: String?
        public let owner: String?
        public let state: String
        public let id: String

        public init(_ machine: Machine, sourceID: String?) {
            name = machine.name.value
            ip = machine.network.ip.description
            prefix = machine.network.prefix
            mac = machine.network.mac.description
            cpus = machine.spec.cpus.value
            memory = machine.spec.memory.description
            disk = machine.spec.disk.description
            idc = machine.location.idc.value
            zone = machine.location.zone.value
            rack = machine.location.rack.value
            host = machine.host.value
            team = machine.team?.value
            service = machine.service?.value
            owner = machine.owner?.value
            state = machine.state.rawValue
            id = sourceID ?? "kennel:\(machine.uuid.uuidString.lowercased())"
        }

        var memoryMiB: UInt64 { ((try? ByteSize(parsing: memory))?.bytes ?? 0) >> 20 }
        var diskMiB: UInt64 { ((try? ByteSize(parsing: disk))?.bytes ?? 0) >> 20 }
    }

    static let columns = ["name", "ip", "mac", "cpus", "memory", "disk", "idc", "zone", "rack", "host", "team", "service", "owner", "state", "id"]

    public static func csv(_ entries: [Entry]) -> String {
        let lines = entries.map { entry in
            [
                entry.name, entry.ip, entry.mac, String(entry.cpus), entry.memory, entry.disk, entry.idc, entry.zone, entry.rack, entry.host,
                entry.team ?? "", entry.service ?? "", entry.owner ?? "", entry.state, entry.id,
            ].map(quote).joined(separator: ",")
        }
        return ([columns.joined(separator: ",")] + lines).joined(separator: "\r\n") + "\r\n"
    }

    public static func json(_ entries: [Entry]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(["machines": entries])) ?? Data("{\"machines\":[]}".utf8)
    }

    /// NetBox's virtual machine CSV (its bulk-import columns); Kennel's zone and rack, which
    /// NetBox VMs do not have, ride in custom fields `kennel_zone` and `kennel_rack`.
    public static func netboxMachines(_ entries: [Entry]) -> String {
        let header = "name,status,site,cluster,role,tenant,vcpus,memory,disk,comments,cf_kennel_id,cf_kennel_zone,cf_kennel_rack,cf_owner"
        let lines = entries.map { entry in
            [
                entry.name, entry.state == "running" ? "active" : "offline", entry.idc, entry.zone, entry.service ?? "", entry.team ?? "",
                String(entry.cpus), String(entry.memoryMiB), String(entry.diskMiB), "", entry.id, entry.zone, entry.rack, entry.owner ?? "",
            ].map(quote).joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\r\n") + "\r\n"
    }

    /// NetBox's IP address CSV: each machine's address on `eth0`, primary.
    public static func netboxAddresses(_ entries: [Entry]) -> String {
        let header = "address,status,virtual_machine,interface,is_primary"
        let lines = entries.map { entry in
            ["\(entry.ip)/\(entry.prefix)", "active", entry.name, "eth0", "true"].map(quote).joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field, quoted when it must be.
    static func quote(_ field: String) -> String { CSVField.quoted(field) }
}
