import Foundation

/// One file handed to the importer: its name (for messages) and its bytes.
public struct SourceFile: Sendable {
    public let name: String
    public let bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Reads the files of one import together: the format of each is found from its content
/// (CSV headers, JSON keys) unless given, companion files (RVTools vNetwork, NetBox IP
/// addresses, OpenStack flavors) go with the machines file, and every issue is named by
/// its file.
public enum InventoryReader {
    /// What each file was taken for.
    public enum Role: String, Sendable, Equatable {
        case rvtoolsInfo = "RVTools vInfo"
        case rvtoolsNetwork = "RVTools vNetwork"
        case netboxMachines = "NetBox virtual machines"
        case netboxAddresses = "NetBox IP addresses"
        case openstackServers = "OpenStack servers"
        case openstackFlavors = "OpenStack flavors"
        case generic = "generic inventory"
    }

    private enum Parsed {
        case table(DelimitedTable)
        case json(JSONValue)
    }

    /// Reads `files`; `format` forces how machines files are read, `columns` maps a
    /// generic one. Answers the machines of every machines file, in order.
    public static func read(_ files: [SourceFile], format: SourceFormat? = nil, columns: GenericColumns = GenericColumns())
        -> (read: SourceRead, roles: [(file: String, role: Role)])
    {
        var issues: [ImportIssue] = []
        var parsed: [(file: SourceFile, content: Parsed, role: Role)] = []
        for file in files {
            do {
                for content in try parse(file) { parsed.append((file, content, role(of: content, forced: format))) }
            } catch {
                var issue = error
                issue.file = file.name
                issues.append(issue)
            }
        }
        let vNetwork = parsed.first { $0.role == .rvtoolsNetwork }.flatMap { table(of: $0.content) }
        let netboxCSVAddresses = parsed.first { $0.role == .netboxAddresses }.flatMap { table(of: $0.content) }
        let netboxJSONAddresses = parsed.first { $0.role == .netboxAddresses }.flatMap { json(of: $0.content) }
        let flavors = parsed.first { $0.role == .openstackFlavors }.flatMap { json(of: $0.content) }
        var machines: [SourceMachine] = []
        var detected: SourceFormat = format ?? .generic
        for entry in parsed {
            let read: SourceRead
            switch (entry.role, entry.content) {
            case (.rvtoolsInfo, .table(let table)): read = RVToolsReader.read(vInfo: table, vNetwork: vNetwork)
            case (.netboxMachines, .table(let table)): read = NetBoxReader.read(machines: table, addresses: netboxCSVAddresses)
            case (.netboxMachines, .json(let json)):
                read = NetBoxReader.read(machines: json, addresses: netboxJSONAddresses)
            case (.openstackServers, .json(let json)): read = OpenStackReader.read(servers: json, flavors: flavors)
            case (.generic, .table(let table)): read = GenericReader.read(table, map: columns)
            case (.generic, .json(let json)): read = GenericReader.read(json, map: columns)
            default: continue  // a companion file
            }
            detected = read.format
            machines += read.machines.map { machine in
                var machine = machine
                machine.file = entry.file.name
                machine.issues = machine.issues.map { issue in
                    var issue = issue
                    issue.file = entry.file.name
                    return issue
                }
                return machine
            }
            issues += read.issues.map { issue in
                var issue = issue
                issue.file = entry.file.name
                return issue
            }
        }
        if !parsed.isEmpty, !parsed.contains(where: { [.rvtoolsInfo, .netboxMachines, .openstackServers, .generic].contains($0.role) }) {
            issues.append(ImportIssue("no machines file among these (only \(parsed.map(\.role.rawValue).joined(separator: ", ")))"))
        }
        return (SourceRead(format: detected, machines: machines, issues: issues), parsed.map { ($0.file.name, $0.role) })
    }

    /// A file's tables: one for CSV or JSON; for an XLSX workbook its vInfo and vNetwork
    /// sheets (RVTools), else its first sheet.
    private static func parse(_ file: SourceFile) throws(ImportIssue) -> [Parsed] {
        let start = file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if XLSXWorkbook.looksLikeWorkbook(file.bytes) {
            let workbook = try XLSXWorkbook(file.bytes)
            var tables: [Parsed] = []
            for name in ["vInfo", "vNetwork"] { if let table = try workbook.table(named: name) { tables.append(.table(table)) } }
            if !tables.isEmpty { return tables }
            guard let first = try workbook.firstTable() else { throw ImportIssue("the workbook has no sheet") }
            return [.table(first)]
        }
        let first = file.bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return [.json(try JSONValue.parse(Data(file.bytes[start...])))]
        }
        return [.table(try DelimitedTable(file.bytes))]
    }

    private static func role(of content: Parsed, forced format: SourceFormat?) -> Role {
        switch content {
        case .table(let table):
            if RVToolsNetworkDetector.matches(table) { return .rvtoolsNetwork }
            if NetBoxReader.isAddressTable(table) { return .netboxAddresses }
            switch format {
            case .rvtools?: return .rvtoolsInfo
            case .netbox?: return .netboxMachines
            case .generic?, .openstack?, .kennel?: return .generic
            case nil:
                if RVToolsReader.matches(table) { return .rvtoolsInfo }
                if NetBoxReader.matches(table) { return .netboxMachines }
                return .generic
            }
        case .json(let json):
            let first = (try? json.objects(under: ["results", "servers", "flavors"]).first) ?? nil
            if let first, first["ram"] != nil || first["RAM"] != nil, first["addresses"] == nil, first["Networks"] == nil {
                return .openstackFlavors
            }
            if let first, first["address"] != nil, first["assigned_object"] != nil || first["assigned_object_type"] != nil {
                return .netboxAddresses
            }
            switch format {
            case .openstack?: return .openstackServers
            case .netbox?: return .netboxMachines
            case .rvtools?, .generic?, .kennel?: return .generic
            case nil:
                if OpenStackReader.matches(json) { return .openstackServers }
                if let first, first["vcpus"] != nil || first["primary_ip4"] != nil, first["status"]?.objectValue != nil || first["site"] != nil {
                    return .netboxMachines
                }
                return .generic
            }
        }
    }

    private static func table(of content: Parsed) -> DelimitedTable? {
        if case .table(let table) = content { return table }
        return nil
    }

    private static func json(of content: Parsed) -> JSONValue? {
        if case .json(let json) = content { return json }
        return nil
    }
}

/// RVTools' vNetwork tab: one row per NIC with its adapter and MAC.
enum RVToolsNetworkDetector {
    static func matches(_ table: DelimitedTable) -> Bool {
        let keys = Set(table.header.map { HeaderKey($0).dropping(prefix: "vnetwork") })
        return (keys.contains("vm") || keys.contains("vmname")) && (keys.contains("macaddress") || keys.contains("mac"))
            && (keys.contains("niclabel") || keys.contains("adapter") || keys.contains("network"))
            && !keys.contains("cpus")
    }
}
