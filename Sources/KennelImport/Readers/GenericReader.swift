import Foundation
import KennelModel

/// Which columns of a CSV (or keys of a JSON list) hold what, for inventories of no
/// known format. Unnamed fields are looked for under common names (`name`/`hostname`,
/// `ip`/`ip_address`, `cpus`/`vcpus`, `memory`, `disk`, `idc`, `zone`, `rack`, `team`,
/// `service`, `vlan`, …).
public struct GenericColumns: Sendable, Equatable, Codable {
    public var id: String?
    public var name: String?
    public var ip: String?
    public var mac: String?
    public var cpus: String?
    public var memory: String?
    /// The unit of bare memory numbers: `MiB` (default), `GiB`, `MB`, `GB`, `KiB`, `B`.
    public var memoryUnit: String?
    public var disk: String?
    /// The unit of bare disk numbers: `GiB` (default), `MiB`, `TB`, …
    public var diskUnit: String?
    public var idc: String?
    public var zone: String?
    public var rack: String?
    public var owner: String?
    public var team: String?
    public var service: String?
    public var vlan: String?
    public var network: String?
    public var power: String?
    public var template: String?
    public var os: String?
    public var annotation: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, ip, mac, cpus, memory, disk, idc, zone, rack, owner, team, service, vlan, network, power, template, os, annotation
        case memoryUnit = "memory_unit"
        case diskUnit = "disk_unit"
    }
}

/// Any CSV or JSON list with a column map.
public enum GenericReader {
    enum Field: String, Hashable, Sendable, CaseIterable {
        case id, name, ip, mac, cpus, memory, disk, idc, zone, rack, owner, team, service, vlan, network, power, template, os, annotation
    }

    static let defaults: [Field: [HeaderKey]] = [
        .id: ["id", "uuid", "sourceid", "assetid"], .name: ["name", "hostname", "vmname", "vm", "servername", "machine"],
        .ip: ["ip", "ipaddress", "ipv4", "ipv4address", "address", "primaryip"], .mac: ["mac", "macaddress"],
        .cpus: ["cpus", "cpu", "vcpus", "vcpu", "cores"], .memory: ["memory", "mem", "ram", "memorymb", "memorymib", "memorygb"],
        .disk: ["disk", "disksize", "storage", "diskgb", "diskmb"], .idc: ["idc", "datacenter", "site", "dc", "region"],
        .zone: ["zone", "az", "availabilityzone"], .rack: ["rack"], .owner: ["owner", "contact"],
        .team: ["team", "group", "tenant", "department"], .service: ["service", "app", "application", "role"],
        .vlan: ["vlan", "vlanid"], .network: ["network", "portgroup", "subnet"], .power: ["power", "powerstate", "state", "status"],
        .template: ["template", "istemplate"], .os: ["os", "operatingsystem", "platform"],
        .annotation: ["annotation", "notes", "comment", "comments", "description"],
    ]

    /// The columns `map` names, by field.
    static func named(_ map: GenericColumns) -> [Field: String] {
        let named: [Field: String?] = [
            .id: map.id, .name: map.name, .ip: map.ip, .mac: map.mac, .cpus: map.cpus, .memory: map.memory, .disk: map.disk, .idc: map.idc,
            .zone: map.zone, .rack: map.rack, .owner: map.owner, .team: map.team, .service: map.service, .vlan: map.vlan,
            .network: map.network, .power: map.power, .template: map.template, .os: map.os, .annotation: map.annotation,
        ]
        return named.compactMapValues { $0 }
    }

    static func aliases(_ map: GenericColumns) -> [(Field, [HeaderKey])] {
        let named = named(map)
        return Field.allCases.map { field in
            if let column = named[field] { return (field, [HeaderKey(column)]) }
            return (field, defaults[field] ?? [])
        }
    }

    /// Reads a CSV with `map`; a named column the header lacks is a file issue.
    public static func read(_ table: DelimitedTable, map: GenericColumns = GenericColumns()) -> SourceRead {
        let columns = ColumnSet(table, aliases: aliases(map))
        var issues: [ImportIssue] = []
        let named = named(map)
        for (field, keys) in aliases(map) where !columns.has(field) {
            if let column = named[field] {
                issues.append(ImportIssue(row: 1, column: column, "the column map names this column, but the header has none such"))
            } else if field == .name {
                issues.append(ImportIssue(row: 1, "no name column (looked for \(keys.map(\.value).joined(separator: ", ")); name it in the map)"))
            }
        }
        let headerMemoryUnit = unit(inHeaderOf: columns.header(.memory))
        let headerDiskUnit = unit(inHeaderOf: columns.header(.disk))
        let machines = table.records.map { record -> SourceMachine in
            var fields: [Field: String] = [:]
            for field in Field.allCases { if let text = columns.text(field, record) { fields[field] = text } }
            var problems: [ImportIssue] = []
            let machine = build(
                fields, row: record.row, memoryUnit: map.memoryUnit ?? headerMemoryUnit ?? "MiB",
                diskUnit: map.diskUnit ?? headerDiskUnit ?? "GiB", columnName: { columns.header($0) ?? $0.rawValue },
                issues: &problems)
            return machine
        }
        return SourceRead(format: .generic, machines: machines, issues: issues)
    }

    /// Reads a JSON list of objects with `map` (keys compared as headers are).
    public static func read(_ json: JSONValue, map: GenericColumns = GenericColumns()) -> SourceRead {
        let objects: [[String: JSONValue]]
        do {
            objects = try json.objects(under: ["machines", "results", "items", "data"])
        } catch {
            return SourceRead(format: .generic, machines: [], issues: [error])
        }
        let aliases = aliases(map)
        let machines = objects.enumerated().map { position, object -> SourceMachine in
            var keys: [HeaderKey: (String, JSONValue)] = [:]
            for (key, value) in object where keys[HeaderKey(key)] == nil { keys[HeaderKey(key)] = (key, value) }
            var fields: [Field: String] = [:]
            var names: [Field: String] = [:]
            for (field, candidates) in aliases {
                guard let (key, value) = candidates.lazy.compactMap({ keys[$0] }).first else { continue }
                names[field] = key
                switch value {
                case .array(let list): fields[field] = list.compactMap(\.text).joined(separator: ",")
                default: if let text = value.text, !text.isEmpty { fields[field] = text }
                }
            }
            var problems: [ImportIssue] = []
            return build(
                fields, row: position + 1, memoryUnit: map.memoryUnit ?? "MiB", diskUnit: map.diskUnit ?? "GiB",
                columnName: { names[$0] ?? $0.rawValue }, issues: &problems)
        }
        return SourceRead(format: .generic, machines: machines)
    }

    private static func build(
        _ fields: [Field: String], row: Int, memoryUnit: String, diskUnit: String, columnName: (Field) -> String,
        issues: inout [ImportIssue]
    ) -> SourceMachine {
        var machine = SourceMachine(row: row, name: fields[.name] ?? "")
        if machine.name.isEmpty { issues.append(ImportIssue(row: row, column: columnName(.name), "no name")) }
        func read<Value>(_ field: Field, _ parse: (String) throws(CellProblem) -> Value?) -> Value? {
            guard let text = fields[field] else { return nil }
            do {
                return try parse(text)
            } catch {
                issues.append(ImportIssue(row: row, column: columnName(field), error.message))
                return nil
            }
        }
        machine.sourceID = fields[.id].map { "id:\($0)" }
        machine.cpus = read(.cpus, CellParsers.integer)
        machine.memoryMiB = read(.memory) { text throws(CellProblem) in try SizeCell.mebibytes(text, bareUnit: memoryUnit) }
        machine.diskMiB = read(.disk) { text throws(CellProblem) in try SizeCell.mebibytes(text, bareUnit: diskUnit) }
        if let found = read(.ip, CellParsers.addresses) {
            machine.addresses = found.ipv4
            machine.otherAddresses = found.other
        }
        machine.macs = (fields[.mac] ?? "").split(whereSeparator: { [",", ";", " ", "\n"].contains($0) }).map(String.init)
        machine.power = fields[.power].map(SourceMachine.PowerState.init(exported:)) ?? .unknown
        machine.isTemplate = read(.template, CellParsers.boolean) ?? false
        machine.vlan = read(.vlan, CellParsers.integer)
        machine.networks = fields[.network].map { [$0] } ?? []
        machine.datacenter = fields[.idc]
        machine.zone = fields[.zone]
        machine.rack = fields[.rack]
        machine.owner = fields[.owner]
        machine.team = fields[.team]
        machine.service = fields[.service]
        machine.os = fields[.os]
        machine.annotation = fields[.annotation]
        machine.issues = issues
        return machine
    }

    /// `Memory (GB)`, `disk_gb`, `RAM MiB`: the unit a header names, if any.
    static func unit(inHeaderOf header: String?) -> String? {
        guard let header else { return nil }
        let key = HeaderKey(header).value
        for unit in ["tib", "gib", "mib", "kib", "tb", "gb", "mb", "kb"] where key.hasSuffix(unit) { return unit }
        return nil
    }
}

/// Sizes in cells: `4096`, `4G`, `4 GB`, `4GiB`, `1.5T`, `512M`; bare numbers in the
/// column's unit. Decimal units (GB) are read as their binary kin (GiB), as every
/// inventory tool we know means them.
public enum SizeCell {
    public static func mebibytes(_ cell: String, bareUnit: String) throws(CellProblem) -> Int? {
        let text = cell.trimmingASCIIWhitespace()
        guard !text.isEmpty else { return nil }
        let number = text.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == " " || $0 == "'" }
        let unitText = String(text.dropFirst(number.count)).trimmingASCIIWhitespace()
        guard let value = try CellParsers.decimal(String(number)) else { throw CellProblem("\"\(Echo.short(cell))\" is not a size") }
        guard let factor = factor(unitText.isEmpty ? bareUnit : unitText) else {
            throw CellProblem("\"\(Echo.short(cell))\" is not a size (units: K, M, G, T, KiB … TiB, KB … TB)")
        }
        let mebibytes = (value * factor).rounded(.up)
        guard mebibytes < 1e12 else { throw CellProblem("\"\(Echo.short(cell))\" is too large") }
        return Int(mebibytes)
    }

    /// MiB per unit.
    static func factor(_ unit: String) -> Double? {
        switch HeaderKey(unit).value {
        case "b", "bytes": 1.0 / 1_048_576
        case "k", "kb", "kib": 1.0 / 1024
        case "m", "mb", "mib": 1
        case "g", "gb", "gib": 1024
        case "t", "tb", "tib": 1_048_576
        default: nil
        }
    }
}
