import KennelWire
import KennelModel

/// Human-readable renderings of machines for the terminal.
enum MachineText {
    static func table(_ machines: [MachineView]) -> String {
        TextTable.render(
            headers: ["NAME", "STATE", "IP", "VLAN", "HOST", "ZONE", "RACK", "CPUS", "MEMORY", "DISK", "SERVICE"],
            rows: machines.map { m in
                [m.name, m.state, m.ip, String(m.vlan), m.host, m.zone, m.rack, String(m.cpus), m.memory, m.disk, m.service ?? "-"]
            }
        )
    }

    static func details(_ m: MachineView) -> String {
        let rows: [(String, String)] =
            [
                ("name", m.name), ("state", m.state), ("uuid", m.uuid),
                ("placement", "\(m.idc) / \(m.zone) / \(m.rack) / \(m.host)"),
                ("address", "\(m.ip)/\(m.prefix) via \(m.gateway), VLAN \(m.vlan), pool \(m.pool)"),
                ("mac", m.mac),
                ("resources", "\(Counted.text(m.cpus, "CPU")), \(m.memory) memory, \(m.disk) disk (\(m.filesystem))"),
                ("memory", "soft \(m.memorySoft ?? "none"), swap \(m.swap.map { $0 == "0" ? "none" : $0 } ?? "unlimited")"),
                ("bandwidth", "in \(m.ingress ?? "unlimited"), out \(m.egress ?? "unlimited")"),
                ("image", m.image), ("service", m.service ?? "-"), ("owner", m.owner ?? "-"),
                ("ssh keys", "\(m.sshKeys.count)"),
            ] + (m.failure.map { [("failure", $0)] } ?? [])
            + (m.sshd.map { [("sshd", $0)] } ?? [])
            + (m.programs ?? []).map { ("program", "\($0.name) \($0.state) \($0.detail)") }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n") + "\n"
    }
}

import Foundation
