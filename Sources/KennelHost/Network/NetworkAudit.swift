import Foundation
import KennelModel

/// What a machine's running port should have, for the reconciler's check.
public struct PortExpectation: Sendable, Equatable, Codable {
    public let uuid: UUID
    public let portGuard: PortGuard
    /// Whether traffic into it is shaped (an htb on the host side of its veth).
    public let shapedInbound: Bool

    public init(uuid: UUID, portGuard: PortGuard, shapedInbound: Bool) {
        self.uuid = uuid
        self.portGuard = portGuard
        self.shapedInbound = shapedInbound
    }
}

/// Finds running machines whose port rules or inbound shaping are missing or stale, from
/// three listings of the whole host: OVS interfaces (libvirt names each machine's port
/// with `external_ids:vm-id`), the bridge's flows and the host's qdiscs.
enum NetworkAudit {
    /// A machine's OVS interface: its device and OpenFlow port.
    struct Port: Equatable {
        let device: String
        let number: Int
    }

    /// Interfaces by the domain UUID libvirt put in `external_ids:vm-id`, from
    /// `ovs-vsctl --format=json --columns=name,ofport,external_ids list Interface`.
    static func ports(inInterfaceListing json: String) -> [UUID: Port] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let rows = object["data"] as? [[Any]]
        else { return [:] }
        var ports: [UUID: Port] = [:]
        for row in rows where row.count == 3 {
            guard let device = row[0] as? String, let number = row[1] as? Int, let ids = row[2] as? [Any], ids.count == 2,
                let pairs = ids[1] as? [[String]],
                let vmID = pairs.first(where: { $0.count == 2 && $0[0] == "vm-id" })?[1], let uuid = UUID(uuidString: vmID)
            else { continue }
            ports[uuid] = Port(device: device, number: number)
        }
        return ports
    }

    /// The (cookie, in_port) pairs of `ovs-ofctl --no-names dump-flows BRIDGE` lines.
    static func rules(inFlowDump dump: String) -> Set<String> {
        var rules: Set<String> = []
        for line in dump.split(separator: "\n") {
            guard let cookie = value(of: "cookie=", in: line), cookie != "0x0", let port = value(of: "in_port=", in: line) else { continue }
            rules.insert("\(cookie)@\(port)")
        }
        return rules
    }

    /// Devices whose root qdisc is Kennel's htb, from `tc qdisc show` lines
    /// (`qdisc htb 1: dev vnet3 root refcnt 2 …`).
    static func shapedDevices(inQdiscListing listing: String) -> Set<String> {
        var devices: Set<String> = []
        for line in listing.split(separator: "\n") where line.hasPrefix("qdisc htb 1: dev ") && line.contains(" root ") {
            let fields = line.split(separator: " ")
            if fields.count > 4 { devices.insert(String(fields[4])) }
        }
        return devices
    }

    /// The machines among `expected` that run here (have a port) but lack their rules on
    /// that port, lack their inbound shaping, or carry one they should not.
    static func drifted(_ expected: [PortExpectation], ports: [UUID: Port], rules: Set<String>, shaped: Set<String>) -> [UUID] {
        expected.compactMap { machine in
            guard let port = ports[machine.uuid] else { return nil }
            let guarded = rules.contains("\(PortGuard.hex(machine.portGuard.cookie))@\(port.number)")
            return guarded && shaped.contains(port.device) == machine.shapedInbound ? nil : machine.uuid
        }
    }

    private static func value(of key: String, in line: Substring) -> String? {
        guard let range = line.range(of: key) else { return nil }
        let rest = line[range.upperBound...]
        return String(rest.prefix { $0 != "," && $0 != " " })
    }
}
