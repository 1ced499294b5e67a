import Foundation
import KennelModel

/// OpenStack: `openstack server list --long -f json` (display keys: `ID`, `Name`,
/// `Status`, `Networks` as an object of lists or as `net=10.0.0.5, fd00::5; net2=…`,
/// `Flavor Name` / `Flavor`, `Availability Zone`, `Host`, `Properties`) or Nova's
/// `GET /servers/detail` (`addresses` by network with `OS-EXT-IPS:type` and
/// `OS-EXT-IPS-MAC:mac_addr`, `OS-EXT-AZ:availability_zone`, the flavor embedded since
/// microversion 2.47 or named by id). Flavors named only by id or name are sized from a
/// flavor list (`openstack flavor list -f json` or `GET /flavors/detail`) when given.
/// Floating addresses are not the machine's own: they are set aside.
public enum OpenStackReader {
    /// Whether `json` looks like a server list of either kind.
    public static func matches(_ json: JSONValue) -> Bool {
        guard let first = try? json.objects(under: ["servers"]).first else { return false }
        return (first["ID"] != nil && first["Name"] != nil && (first["Networks"] != nil || first["Status"] != nil))
            || (first["id"] != nil && first["name"] != nil && (first["addresses"] != nil || first["flavor"] != nil))
    }

    /// A flavor's size.
    struct Flavor: Sendable {
        let cpus: Int?
        let memoryMiB: Int?
        let diskGiB: Int?
    }

    /// Reads a server list, sizing flavors from `flavors` when given.
    public static func read(servers: JSONValue, flavors: JSONValue? = nil) -> SourceRead {
        let objects: [[String: JSONValue]]
        do {
            objects = try servers.objects(under: ["servers"])
        } catch {
            return SourceRead(format: .openstack, machines: [], issues: [error])
        }
        var known: [String: Flavor] = [:]
        for flavor in (try? flavors?.objects(under: ["flavors"])) ?? [] {
            var ignored: [ImportIssue] = []
            let size = Flavor(
                cpus: (flavor["vcpus"] ?? flavor["VCPUs"]).number("vcpus", row: 0, issues: &ignored).map { Int($0) },
                memoryMiB: (flavor["ram"] ?? flavor["RAM"]).number("ram", row: 0, issues: &ignored).map { Int($0) },
                diskGiB: (flavor["disk"] ?? flavor["Disk"]).number("disk", row: 0, issues: &ignored).map { Int($0) })
            for key in [flavor["id"] ?? flavor["ID"], flavor["name"] ?? flavor["Name"]].compactMap({ $0?.text }) { known[key] = size }
        }
        let machines = objects.enumerated().map { position, server in
            server["ID"] != nil ? readListed(server, row: position + 1, flavors: known) : readDetailed(server, row: position + 1, flavors: known)
        }
        return SourceRead(format: .openstack, machines: machines)
    }

    /// One entry of `openstack server list --long -f json`.
    static func readListed(_ server: [String: JSONValue], row: Int, flavors: [String: Flavor]) -> SourceMachine {
        var machine = SourceMachine(row: row, name: server["Name"].text ?? "")
        var problems: [ImportIssue] = []
        if machine.name.isEmpty { problems.append(ImportIssue(row: row, column: "Name", "no server name")) }
        if let id = server["ID"].text { machine.sourceID = "nova:\(id)" }
        machine.power = SourceMachine.PowerState(exported: server["Power State"].text ?? server["Status"].text ?? "")
        machine.cluster = server["Availability Zone"].text
        machine.host = server["Host"].text
        let flavor = server["Flavor Name"].text ?? server["Flavor"].text ?? server["Flavor ID"].text
        if let flavor {
            machine.attributes["flavor"] = flavor
            apply(
                flavors[flavor] ?? server["Flavor ID"].text.flatMap { flavors[$0] }, listed: !flavors.isEmpty, to: &machine, named: flavor,
                row: row, issues: &problems)
        }
        switch server["Networks"] {
        case .object(let networks)?:
            for (network, addresses) in networks.sorted(by: { $0.key < $1.key }) {
                machine.networks.append(network)
                for address in addresses.arrayValue ?? [addresses] {
                    add(address.text ?? "", to: &machine, column: "Networks", row: row, issues: &problems)
                }
            }
        case .string(let text)?:
            // "net1=10.0.0.5, fd00::5; net2=192.168.1.4"
            for part in text.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                machine.networks.append(String(pair[0]).trimmingASCIIWhitespace())
                add(String(pair[1]), to: &machine, column: "Networks", row: row, issues: &problems)
            }
        default: break
        }
        if case .object(let properties)? = server["Properties"] {
            for (key, value) in properties { if let text = value.text { machine.attributes[key] = text } }
        }
        machine.issues = problems
        return machine
    }

    /// One server of Nova's `GET /servers/detail`.
    static func readDetailed(_ server: [String: JSONValue], row: Int, flavors: [String: Flavor]) -> SourceMachine {
        var machine = SourceMachine(row: row, name: server["name"].text ?? "")
        var problems: [ImportIssue] = []
        if machine.name.isEmpty { problems.append(ImportIssue(row: row, column: "name", "no server name")) }
        if let id = server["id"].text { machine.sourceID = "nova:\(id)" }
        switch server["OS-EXT-STS:power_state"] {
        case .number(let state)?: machine.power = state == 1 ? .on : state == 3 ? .suspended : .off
        default: machine.power = SourceMachine.PowerState(exported: server["status"].text ?? "")
        }
        machine.cluster = server["OS-EXT-AZ:availability_zone"].text
        machine.host = server["OS-EXT-SRV-ATTR:host"].text
        if case .object(let flavor)? = server["flavor"] {
            if flavor["vcpus"] != nil || flavor["ram"] != nil {
                machine.cpus = flavor["vcpus"].number("flavor.vcpus", row: row, issues: &problems).map { Int($0) }
                machine.memoryMiB = flavor["ram"].number("flavor.ram", row: row, issues: &problems).map { Int($0) }
                machine.diskMiB = flavor["disk"].number("flavor.disk", row: row, issues: &problems).map { Int($0) * 1024 }
                if let name = flavor["original_name"].text { machine.attributes["flavor"] = name }
            } else if let id = flavor["id"].text {
                machine.attributes["flavor"] = id
                apply(flavors[id], listed: !flavors.isEmpty, to: &machine, named: id, row: row, issues: &problems)
            }
        }
        if case .object(let networks)? = server["addresses"] {
            for (network, entries) in networks.sorted(by: { $0.key < $1.key }) {
                machine.networks.append(network)
                for entry in entries.arrayValue ?? [] {
                    let address = entry["addr"].text ?? ""
                    if entry["OS-EXT-IPS:type"].text == "floating" {
                        machine.otherAddresses.append(address)
                        continue
                    }
                    add(address, to: &machine, column: "addresses", row: row, issues: &problems)
                    if let mac = entry["OS-EXT-IPS-MAC:mac_addr"].text, !machine.macs.contains(mac) { machine.macs.append(mac) }
                }
            }
        }
        if case .object(let metadata)? = server["metadata"] {
            for (key, value) in metadata { if let text = value.text { machine.attributes[key] = text } }
        }
        machine.issues = problems
        return machine
    }

    /// Sizes `machine` from its flavor; without a flavor list its sizes stay unknown (the
    /// mapping's defaults apply), with one a flavor missing from it is a problem.
    private static func apply(
        _ flavor: Flavor?, listed: Bool, to machine: inout SourceMachine, named name: String, row: Int, issues: inout [ImportIssue]
    ) {
        guard let flavor else {
            guard listed else { return }
            issues.append(
                ImportIssue(row: row, column: "flavor", "flavor \"\(Echo.short(name))\" is not in the flavor list (pass it with --flavors)"))
            return
        }
        machine.cpus = flavor.cpus
        machine.memoryMiB = flavor.memoryMiB
        machine.diskMiB = flavor.diskGiB.map { $0 * 1024 }
    }

    private static func add(_ cell: String, to machine: inout SourceMachine, column: String, row: Int, issues: inout [ImportIssue]) {
        do {
            let found = try CellParsers.addresses(cell)
            for address in found.ipv4 where !machine.addresses.contains(address) { machine.addresses.append(address) }
            machine.otherAddresses += found.other
        } catch {
            issues.append(ImportIssue(row: row, column: column, error.message))
        }
    }
}
