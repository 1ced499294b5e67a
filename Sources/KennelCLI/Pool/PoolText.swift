import Foundation
import KennelWire

/// Human-readable renderings of pools for the terminal.
enum PoolText {
    static func table(_ pools: [PoolView]) -> String {
        TextTable.render(
            headers: ["NAME", "CIDR", "VLAN", "IDC", "SIZE", "USED", "QUARANTINED", "FREE", "USAGE"],
            rows: pools.map { p in
                [
                    p.name, p.cidr, String(p.vlan), p.idc, String(p.size), String(p.used), String(p.quarantined), String(p.free),
                    usageBar(used: p.used, quarantined: p.quarantined, size: p.size, width: 20),
                ]
            }
        )
    }

    static func details(_ p: PoolView) -> String {
        let rows: [(String, String)] =
            [
                ("name", p.name), ("network", "\(p.cidr) via \(p.gateway), VLAN \(p.vlan)"),
                ("serves", "\(p.idc) / " + (p.zones.isEmpty ? "all zones" : p.zones.joined(separator: ","))),
                ("ranges", p.ranges.joined(separator: ", ")), ("excluded", p.exclude.isEmpty ? "-" : p.exclude.joined(separator: ", ")),
                ("dns", p.dns.isEmpty ? "-" : p.dns.joined(separator: ", ")), ("search", p.searchDomain ?? "-"),
                ("quarantine", p.quarantine),
                ("usage", usageBar(used: p.used, quarantined: p.quarantined, size: p.size, width: 40)),
                ("", "\(p.used) used, \(p.quarantined) quarantined, \(p.free) free of \(p.size)"),
            ] + (p.warnings ?? []).map { ("warning", $0) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n") + "\n"
    }

    static func leases(_ leases: [LeaseView]) -> String {
        TextTable.render(
            headers: ["ADDRESS", "MAC", "MACHINE", "STATE", "FREE AFTER"],
            rows: leases.map { l in
                [l.address, l.mac, l.machine, l.state, l.quarantinedUntil.map { ISO8601DateFormatter().string(from: $0) } ?? "-"]
            }
        )
    }

    /// `[####~~......] 42%`: `#` used, `~` quarantined, `.` free; the percentage counts
    /// used and quarantined addresses, which are both unavailable.
    static func usageBar(used: UInt64, quarantined: UInt64, size: UInt64, width: Int) -> String {
        guard size > 0 else { return "[" + String(repeating: " ", count: width) + "] empty" }
        func cells(_ count: UInt64) -> Int { Int((count * UInt64(width) + size - 1) / size) }
        let usedCells = min(cells(used), width)
        let restingCells = min(cells(quarantined), width - usedCells)
        let bar =
            String(repeating: "#", count: usedCells) + String(repeating: "~", count: restingCells)
            + String(repeating: ".", count: width - usedCells - restingCells)
        return "[\(bar)] \((used + quarantined) * 100 / size)%"
    }
}
