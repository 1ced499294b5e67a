import Foundation
import KennelWire

/// Human-readable renderings of hosts for the terminal.
enum HostText {
    static func table(_ hosts: [HostView]) -> String {
        TextTable.render(
            headers: ["NAME", "STATE", "IDC", "ZONE", "RACK", "MACHINES", "CPUS", "MEMORY", "VLANS", "CLASS"],
            rows: hosts.map { h in
                [
                    h.name, h.state, h.idc, h.zone, h.rack, String(h.machines), "\(h.usedCpus)/\(h.cpus)×\(h.cpuOvercommit)",
                    "\(h.usedMemory)/\(h.memory)", h.vlans.map(String.init).joined(separator: ","), h.hostClass ?? "-",
                ]
            }
        )
    }

    /// The host's facts, or why they are missing; nothing when the answer had neither.
    static func factRows(_ h: HostView) -> [(String, String)] {
        if let error = h.factsError { return [("facts", error)] }
        guard let facts = h.facts else { return [] }
        let reflink = facts.reflink.map { $0 ? "reflink" : "no reflink (plain copies)" } ?? "unknown"
        return [
            ("kernel", facts.kernel ?? "-"), ("libvirt", facts.libvirt ?? "-"), ("datapath", facts.ovsDatapath ?? "-"),
            ("machines dir", "\(facts.free ?? "?") free, \(reflink)"),
        ]
    }

    static func details(_ h: HostView) -> String {
        let rows: [(String, String)] =
            [
                ("name", h.name), ("state", h.state), ("uri", h.uri), ("place", "\(h.idc) / \(h.zone) / \(h.rack)"),
                ("cpus", "\(h.usedCpus) of \(h.cpus) × \(h.cpuOvercommit)"), ("memory", "\(h.usedMemory) of \(h.memory) × \(h.memoryOvercommit)"),
                ("disk", "\(h.usedDisk) of \(h.disk) × \(h.diskOvercommit)"), ("bandwidth", h.bandwidth ?? "not accounted"),
                ("bridge", "\(h.bridge), VLANs \(h.vlans.map(String.init).joined(separator: ","))"),
                ("class", h.hostClass ?? "-"), ("labels", h.labels.isEmpty ? "-" : h.labels.joined(separator: ",")), ("machines", String(h.machines)),
            ] + factRows(h)
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n") + "\n"
    }
}
