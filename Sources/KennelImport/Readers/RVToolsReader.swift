import KennelModel

/// RVTools' vInfo tab, in each of its header variants — 4.x display headers (`VM`,
/// `Provisioned MiB`, `Primary IP Address`), 3.x (`Provisioned MB`, no primary address:
/// the vNetwork tab gives it when handed in), and the `vInfoVMName, vInfoCPUs, …` CSV
/// export — with the vNetwork tab for addresses and MACs when present. Columns RVTools
/// does not write itself (custom attributes, `vInfo_tags_*`) are kept as attributes.
public enum RVToolsReader {
    enum Field: Hashable, Sendable {
        case name, power, template, cpus, memory, totalDisk, provisioned, primaryIP, datacenter, cluster, host, osTools, osConfig
        case annotation, uuid, sdkServer, dnsName
        case network(Int)
    }

    static let aliases: [(Field, [HeaderKey])] =
        [
            (.name, ["vm", "vmname"]), (.power, ["powerstate"]), (.template, ["template"]), (.cpus, ["cpus", "numcpu"]),
            (.memory, ["memory", "memorymib", "memorymb"]), (.totalDisk, ["totaldiskcapacitymib", "totaldiskcapacitymb"]),
            (.provisioned, ["provisionedmib", "provisionedmb", "provisioned"]), (.primaryIP, ["primaryipaddress", "primaryip"]),
            (.datacenter, ["datacenter"]), (.cluster, ["cluster"]), (.host, ["host"]),
            (.osTools, ["osaccordingtothevmwaretools", "ostools"]), (.osConfig, ["osaccordingtotheconfigurationfile", "os", "osconfig"]),
            (.annotation, ["annotation"]), (.uuid, ["vmuuid", "uuid"]), (.sdkServer, ["visdkserver"]),
            (.dnsName, ["dnsname", "guesthostname"]),
        ] + (1...8).map { (Field.network($0), [HeaderKey("network\($0)"), HeaderKey("networknum\($0)")]) }

    /// Headers RVTools writes in vInfo itself: everything else is a custom attribute.
    static let standard: Set<HeaderKey> = Set(
        [
            "srmplaceholder", "configstatus", "connectionstate", "gueststate", "heartbeat", "consolidationneeded", "poweron",
            "suspendedtomemory", "suspendtime", "suspendinterval", "creationdate", "changeversion", "overallcpureadiness",
            "activememory", "nics", "disks", "fixedpassthruhotplug", "minrequiredevcmodekey", "latencysensitivity",
            "opnotificationtimeout", "enableuuid", "cbt", "nummonitors", "videoramkib", "resourcepool", "folderid", "folder", "vapp",
            "dasprotection", "ftstate", "ftrole", "ftlatency", "ftbandwidth", "ftsecondarylatency", "vmfailoverinprogress", "inusemib",
            "inusemb", "inuse", "unsharedmib", "unsharedmb", "harestartpriority", "haisolationresponse", "havmmonitoring",
            "clusterrules", "clusterrulenames", "bootrequired", "bootdelay", "bootretrydelay", "bootretryenabled", "bootbiossetup",
            "rebootpoweroff", "efisecureboot", "firmware", "hwversion", "hwupgradestatus", "hwupgradepolicy", "hwtarget", "path",
            "logdirectory", "snapshotdirectory", "suspenddirectory", "customizationinfo", "guestdetaileddata", "vmid", "smbiosuuid",
            "visdkservertype", "visdkapiversion", "visdkuuid", "numvirtualdisks", "gueststate", "vmxconfigchecksum", "sequence",
        ] as [HeaderKey])

    /// Whether `table` looks like vInfo: a VM column, its power state and its CPUs.
    public static func matches(_ table: DelimitedTable) -> Bool {
        let columns = ColumnSet(table, aliases: aliases, prefix: "vinfo")
        return columns.has(.name) && columns.has(.power) && columns.has(.cpus)
    }

    /// Reads vInfo, and vNetwork when given (addresses and MACs per VM).
    public static func read(vInfo table: DelimitedTable, vNetwork: DelimitedTable? = nil) -> SourceRead {
        let columns = ColumnSet(table, aliases: aliases, prefix: "vinfo")
        var issues: [ImportIssue] = []
        for (field, header) in [(Field.name, "VM"), (.power, "Powerstate"), (.cpus, "CPUs")] where !columns.has(field) {
            issues.append(ImportIssue(row: 1, column: header, "RVTools vInfo needs this column"))
        }
        let nics = vNetwork.map(RVToolsNetwork.init)
        let attributeColumns = table.header.enumerated().filter { index, name in
            let key = HeaderKey(name).dropping(prefix: "vinfo")
            return !columns.used.contains(index) && !standard.contains(key) && !key.value.isEmpty
        }
        var machines: [SourceMachine] = []
        machines.reserveCapacity(table.records.count)
        for record in table.records {
            var machine = SourceMachine(row: record.row, name: columns.text(.name, record) ?? "")
            var problems: [ImportIssue] = []
            if machine.name.isEmpty { problems.append(ImportIssue(row: record.row, column: "VM", "no VM name")) }
            machine.power = columns.text(.power, record).map(SourceMachine.PowerState.init(exported:)) ?? .unknown
            machine.isTemplate = columns.value(.template, record, issues: &problems, CellParsers.boolean) ?? false
            machine.cpus = columns.value(.cpus, record, issues: &problems, CellParsers.integer)
            machine.memoryMiB = columns.value(.memory, record, issues: &problems, CellParsers.integer)
            machine.diskMiB =
                columns.value(.totalDisk, record, issues: &problems, CellParsers.integer)
                ?? columns.value(.provisioned, record, issues: &problems, CellParsers.integer)
            if let found = columns.value(.primaryIP, record, issues: &problems, CellParsers.addresses) {
                machine.addresses = found.ipv4
                machine.otherAddresses = found.other
            }
            machine.networks = (1...8).compactMap { columns.text(.network($0), record) }
            machine.datacenter = columns.text(.datacenter, record)
            machine.cluster = columns.text(.cluster, record)
            machine.host = columns.text(.host, record)
            machine.os = columns.text(.osTools, record) ?? columns.text(.osConfig, record)
            machine.annotation = columns.text(.annotation, record)
            if let uuid = columns.text(.uuid, record) {
                machine.sourceID = "vsphere:\(columns.text(.sdkServer, record) ?? "-"):\(uuid.lowercased())"
            }
            if let dns = columns.text(.dnsName, record) { machine.attributes["DNS Name"] = dns }
            for (index, header) in attributeColumns {
                let value = record.trimmed(index)
                if !value.isEmpty { machine.attributes[Self.attributeName(header)] = value }
            }
            if let nics {
                let found = nics.lookup(uuid: columns.text(.uuid, record), name: machine.name)
                for address in found.ipv4 where !machine.addresses.contains(address) { machine.addresses.append(address) }
                machine.otherAddresses += found.other.filter { !machine.otherAddresses.contains($0) }
                machine.macs = found.macs
                if machine.networks.isEmpty { machine.networks = found.networks }
                problems += found.issues
            }
            machine.issues = problems
            machines.append(machine)
        }
        return SourceRead(format: .rvtools, machines: machines, issues: issues)
    }

    /// `vInfo_tags_Team` → `Team`; other headers as written.
    static func attributeName(_ header: String) -> String {
        for prefix in ["vInfo_tags_", "vInfo_", "vInfo"] where header.hasPrefix(prefix) && header.count > prefix.count {
            return String(header.dropFirst(prefix.count))
        }
        return header
    }
}

/// RVTools' vNetwork tab: one row per NIC, by VM UUID (or VM name when it has none).
struct RVToolsNetwork: Sendable {
    struct NICs: Sendable {
        var ipv4: [IPv4Address] = []
        var other: [String] = []
        var macs: [String] = []
        var networks: [String] = []
        var issues: [ImportIssue] = []
    }

    private var byUUID: [String: NICs] = [:]
    private var byName: [String: NICs] = [:]

    enum Field: Hashable, Sendable { case name, uuid, address, ipv4Address, mac, network }

    init(_ table: DelimitedTable) {
        let columns = ColumnSet(
            table,
            aliases: [
                (Field.name, ["vm", "vmname"]), (.uuid, ["vmuuid", "uuid"]), (.ipv4Address, ["ipv4address"]),
                (.address, ["ipaddress"]), (.mac, ["macaddress", "mac"]), (.network, ["network", "portgroup"]),
            ], prefix: "vnetwork")
        for record in table.records {
            var problems: [ImportIssue] = []
            let found =
                columns.value(.ipv4Address, record, issues: &problems, CellParsers.addresses)
                ?? columns.value(.address, record, issues: &problems, CellParsers.addresses)
            let update: (inout NICs) -> Void = { nics in
                for address in found?.ipv4 ?? [] where !nics.ipv4.contains(address) { nics.ipv4.append(address) }
                nics.other += found?.other ?? []
                if let mac = columns.text(.mac, record) { nics.macs.append(mac) }
                if let network = columns.text(.network, record) { nics.networks.append(network) }
                nics.issues += problems.map { issue in
                    var issue = issue
                    issue.message = "vNetwork: " + issue.message
                    return issue
                }
            }
            if let uuid = columns.text(.uuid, record)?.lowercased() {
                update(&byUUID[uuid, default: NICs()])
            } else if let name = columns.text(.name, record) {
                update(&byName[name, default: NICs()])
            }
        }
    }

    func lookup(uuid: String?, name: String) -> NICs {
        if let uuid, let nics = byUUID[uuid.lowercased()] { return nics }
        return byName[name] ?? NICs()
    }
}
