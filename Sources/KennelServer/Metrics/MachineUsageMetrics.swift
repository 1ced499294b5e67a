import Foundation
import KennelControl
import KennelModel

/// Per-machine usage in the Prometheus text format, written directly rather than through
/// the registry: the series come and go with the machines, and a registry would keep a
/// deleted machine's series for the life of the process.
enum MachineUsageMetrics {
    private struct Family: Sendable {
        let name: String
        let type: String
        let help: String
        let value: @Sendable (MachineUsage) -> Double?
    }

    private static let families: [Family] = [
        Family(
            name: "kennel_machine_cpu_seconds_total", type: "counter", help: "CPU time the machine used since it started (its cgroup).",
            value: { $0.cpuSeconds }),
        Family(
            name: "kennel_machine_memory_bytes", type: "gauge", help: "Memory the machine uses now (its cgroup).",
            value: { Double($0.memoryBytes) }),
        Family(
            name: "kennel_machine_network_receive_bytes_total", type: "counter", help: "Bytes the machine received since it started.",
            value: { Double($0.receivedBytes) }),
        Family(
            name: "kennel_machine_network_transmit_bytes_total", type: "counter", help: "Bytes the machine sent since it started.",
            value: { Double($0.sentBytes) }),
        Family(
            name: "kennel_machine_disk_used_bytes", type: "gauge", help: "Bytes the machine's root filesystem takes on its host.",
            value: { usage in usage.diskUsedBytes.map { Double($0) } }),
    ]

    /// The text of every family for `hosts`, and each host's age and problem.
    static func render(_ hosts: [HostUsage], now: Date) -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for host in hosts {
                for (machine, usage) in host.machines.sorted(by: { $0.key < $1.key }) {
                    guard let value = family.value(usage) else { continue }
                    text += "\(family.name){machine=\"\(escaped(machine.value))\",host=\"\(escaped(host.host.value))\"} \(number(value))\n"
                }
            }
        }
        text += "# HELP kennel_host_usage_age_seconds How old each host's machine figures are.\n"
        text += "# TYPE kennel_host_usage_age_seconds gauge\n"
        for host in hosts {
            guard let collected = host.collectedAt else { continue }
            text += "kennel_host_usage_age_seconds{host=\"\(escaped(host.host.value))\"} \(number(max(0, now.timeIntervalSince(collected))))\n"
        }
        text += "# HELP kennel_host_usage_up Whether the last read of a host's machine figures answered in time.\n"
        text += "# TYPE kennel_host_usage_up gauge\n"
        for host in hosts where host.collectedAt != nil || host.problem != nil {
            text += "kennel_host_usage_up{host=\"\(escaped(host.host.value))\"} \(host.problem == nil ? 1 : 0)\n"
        }
        return text
    }

    /// A label value with `\`, `"` and newlines escaped, as the format asks.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
