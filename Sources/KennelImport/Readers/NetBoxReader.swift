import Foundation
import KennelModel

/// NetBox: the virtual machine CSV (`name,status,site,cluster,role,tenant,platform,vcpus,
/// memory,disk,…`, memory and disk in MB, custom fields as `cf_*`) with the IP address
/// CSV (`address,vrf,status,virtual_machine,interface,is_primary,…`), or the REST JSON
/// of `/api/virtualization/virtual-machines/` and `/api/ipam/ip-addresses/` (a page with
/// `results`, a list of pages, or a list of objects).
public enum NetBoxReader {
    enum Field: Hashable, Sendable {
        case id, name, status, site, cluster, role, tenant, platform, vcpus, memory, disk, comments, description, primaryIP4, primaryIP
        case tags
    }

    static let aliases: [(Field, [HeaderKey])] = [
        (.id, ["id"]), (.name, ["name"]), (.status, ["status"]), (.site, ["site"]), (.cluster, ["cluster"]), (.role, ["role"]),
        (.tenant, ["tenant"]), (.platform, ["platform"]), (.vcpus, ["vcpus"]), (.memory, ["memory", "memorymb"]),
        (.disk, ["disk", "diskmb", "diskgb"]), (.comments, ["comments"]), (.description, ["description"]),
        (.primaryIP4, ["primaryip4", "primaryipv4"]), (.primaryIP, ["primaryip"]), (.tags, ["tags"]),
    ]

    /// Whether `table` looks like NetBox's VM CSV: name, status and vcpus (or memory).
    public static func matches(_ table: DelimitedTable) -> Bool {
        let columns = ColumnSet(table, aliases: aliases)
        return columns.has(.name) && columns.has(.status) && (columns.has(.vcpus) || columns.has(.memory))
            && !RVToolsReader.matches(table)
    }

    /// Whether `table` looks like NetBox's IP address CSV.
    public static func isAddressTable(_ table: DelimitedTable) -> Bool {
        table.column("address") != nil && table.column("virtual_machine") != nil
    }

    /// Reads the VM CSV, with the IP address CSV when given.
    public static func read(machines table: DelimitedTable, addresses: DelimitedTable? = nil) -> SourceRead {
        let columns = ColumnSet(table, aliases: aliases)
        var issues: [ImportIssue] = []
        if !columns.has(.name) { issues.append(ImportIssue(row: 1, column: "name", "NetBox's VM CSV needs this column")) }
        let diskInGB = table.header.contains { HeaderKey($0) == "diskgb" }
        let custom = table.header.enumerated().filter { $0.element.hasPrefix("cf_") }
        let ips = addresses.map(NetBoxAddresses.init(csv:))
        let machines = table.records.map { record -> SourceMachine in
            var machine = SourceMachine(row: record.row, name: columns.text(.name, record) ?? "")
            var problems: [ImportIssue] = []
            if machine.name.isEmpty { problems.append(ImportIssue(row: record.row, column: "name", "no VM name")) }
            if let id = columns.text(.id, record) { machine.sourceID = "netbox:\(id)" }
            machine.power = columns.text(.status, record).map(SourceMachine.PowerState.init(exported:)) ?? .unknown
            machine.cpus = columns.value(.vcpus, record, issues: &problems, CellParsers.decimal).map { Int($0.rounded(.up)) }
            machine.memoryMiB = columns.value(.memory, record, issues: &problems, CellParsers.integer)
            machine.diskMiB = columns.value(.disk, record, issues: &problems, CellParsers.integer).map { diskInGB ? $0 * 1024 : $0 }
            machine.datacenter = columns.text(.site, record)
            machine.cluster = columns.text(.cluster, record)
            machine.os = columns.text(.platform, record)
            machine.annotation = columns.text(.comments, record) ?? columns.text(.description, record)
            machine.team = columns.text(.tenant, record)
            machine.service = columns.text(.role, record)
            if let found = columns.value(.primaryIP4, record, issues: &problems, CellParsers.addresses)
                ?? columns.value(.primaryIP, record, issues: &problems, CellParsers.addresses)
            {
                machine.addresses = found.ipv4
                machine.otherAddresses = found.other
            }
            if let tags = columns.text(.tags, record) { machine.attributes["tags"] = tags }
            for (index, header) in custom {
                let value = record.trimmed(index)
                if !value.isEmpty { machine.attributes[String(header.dropFirst(3))] = value }
            }
            if let ips { ips.merge(into: &machine, key: machine.name) }
            machine.issues = problems
            return machine
        }
        return SourceRead(format: .netbox, machines: machines, issues: issues + (ips?.issues ?? []))
    }

    /// Reads NetBox REST JSON: the virtual machines, with the IP addresses when given.
    public static func read(machines json: JSONValue, addresses addressesJSON: JSONValue? = nil) -> SourceRead {
        let objects: [[String: JSONValue]]
        do {
            objects = try json.objects(under: ["results"])
        } catch {
            return SourceRead(format: .netbox, machines: [], issues: [error])
        }
        var ips: NetBoxAddresses?
        var issues: [ImportIssue] = []
        if let addressesJSON {
            do {
                ips = NetBoxAddresses(json: try addressesJSON.objects(under: ["results"]))
            } catch {
                issues.append(error)
            }
        }
        let machines = objects.enumerated().map { position, object -> SourceMachine in
            let row = position + 1
            var machine = SourceMachine(row: row, name: object["name"].text ?? "")
            var problems: [ImportIssue] = []
            if machine.name.isEmpty { problems.append(ImportIssue(row: row, column: "name", "no VM name")) }
            if let id = object["id"].text { machine.sourceID = "netbox:\(id)" }
            machine.power = object["status"].text.map(SourceMachine.PowerState.init(exported:)) ?? .unknown
            machine.cpus = object["vcpus"].number("vcpus", row: row, issues: &problems).map { Int($0.rounded(.up)) }
            machine.memoryMiB = object["memory"].number("memory", row: row, issues: &problems).map { Int($0) }
            machine.diskMiB = object["disk"].number("disk", row: row, issues: &problems).map { Int($0) }
            machine.datacenter = object["site"].text
            machine.cluster = object["cluster"].text
            machine.os = object["platform"].text
            machine.team = object["tenant"].text
            machine.service = object["role"].text
            machine.annotation = object["comments"].text.flatMap { $0.isEmpty ? nil : $0 }
            for key in ["primary_ip4", "primary_ip"] {
                guard machine.addresses.isEmpty, let address = object[key]?["address"].text else { continue }
                if let found = try? CellParsers.addresses(address) {
                    machine.addresses = found.ipv4
                    machine.otherAddresses = found.other
                }
            }
            if let fields = object["custom_fields"]?.objectValue {
                for (key, value) in fields { if let text = value.text, !text.isEmpty { machine.attributes[key] = text } }
            }
            if let tags = object["tags"]?.arrayValue {
                let names = tags.compactMap(\.text)
                if !names.isEmpty { machine.attributes["tags"] = names.joined(separator: ",") }
            }
            if let ips { ips.merge(into: &machine, key: object["id"].text.map { "id:\($0)" } ?? machine.name) }
            machine.issues = problems
            return machine
        }
        return SourceRead(format: .netbox, machines: machines, issues: issues + (ips?.issues ?? []))
    }
}

/// NetBox IP addresses by virtual machine (name, or `id:N` from JSON), primary first.
struct NetBoxAddresses: Sendable {
    private var byMachine: [String: (primary: [IPv4Address], other: [IPv4Address], set: [String])] = [:]
    var issues: [ImportIssue] = []

    init(csv table: DelimitedTable) {
        let address = table.column("address")
        let machine = table.column("virtual_machine")
        let primary = table.column("is_primary")
        for record in table.records {
            guard let address, let machine else { break }
            let name = record.trimmed(machine)
            guard !name.isEmpty else { continue }
            let isPrimary = primary.flatMap { try? CellParsers.boolean(record[$0]) } ?? false
            add(record[address], to: name, primary: isPrimary, row: record.row)
        }
    }

    init(json objects: [[String: JSONValue]]) {
        for (position, object) in objects.enumerated() {
            let machine = object["assigned_object"]?["virtual_machine"] ?? object["virtual_machine"]
            guard let machine, machine.objectValue != nil, let address = object["address"].text else { continue }
            let key = machine["id"].text.map { "id:\($0)" } ?? machine["name"].text ?? ""
            add(address, to: key, primary: object["is_primary"] == .bool(true), row: position + 1)
        }
    }

    private mutating func add(_ cell: String, to machine: String, primary: Bool, row: Int) {
        do {
            let found = try CellParsers.addresses(cell)
            var entry = byMachine[machine] ?? ([], [], [])
            if primary { entry.primary += found.ipv4 } else { entry.other += found.ipv4 }
            entry.set += found.other
            byMachine[machine] = entry
        } catch {
            issues.append(ImportIssue(row: row, column: "address", "IP addresses: \(error.message)"))
        }
    }

    func merge(into machine: inout SourceMachine, key: String) {
        guard let entry = byMachine[key] else { return }
        var addresses = entry.primary + machine.addresses + entry.other
        var seen: Set<IPv4Address> = []
        addresses = addresses.filter { seen.insert($0).inserted }
        machine.addresses = addresses
        machine.otherAddresses += entry.set.filter { !machine.otherAddresses.contains($0) }
    }
}
