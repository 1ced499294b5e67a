import KennelModel

/// Refuses host updates that contradict the machines the host carries: capacity (after
/// overcommit) below what they reserve, bandwidth below what they are promised, or a
/// VLAN list without a VLAN one of them is on. Each refusal is 409 naming the field and
/// the machines. Pure: the caller reads the host's machines and usage.
enum HostUpdateCheck {
    static func refusal(
        current: ComputeHost, updated: ComputeHost, used: Resources, machines: [Machine], given: Set<String>
    ) -> KennelError? {
        let names = machines.map(\.name.value).sorted()
        let carried = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        func field(_ candidates: [String]) -> String { candidates.first(where: given.contains) ?? candidates[0] }

        let schedulable = updated.schedulable
        if schedulable.cpus < used.cpus {
            return conflict(field(["cpus", "cpu_overcommit"]), "\(schedulable.cpus) CPUs after overcommit < \(used.cpus) reserved by \(carried)")
        }
        if schedulable.memory < used.memory {
            return conflict(
                field(["memory", "memory_overcommit"]), "\(schedulable.memory) memory after overcommit < \(used.memory) reserved by \(carried)")
        }
        if schedulable.disk < used.disk {
            return conflict(field(["disk", "disk_overcommit"]), "\(schedulable.disk) disk after overcommit < \(used.disk) reserved by \(carried)")
        }
        if let bandwidth = updated.bandwidth, bandwidth.bitsPerSecond < max(used.ingress, used.egress) {
            let promised = Bandwidth(bitsPerSecond: max(used.ingress, used.egress))
            return conflict("bandwidth", "\(bandwidth) < \(promised) promised to \(carried)")
        }
        let cutOff = machines.filter { !updated.vlans.contains($0.network.vlan) }
        if !cutOff.isEmpty {
            let shown = cutOff.prefix(5).map { "\($0.name) (VLAN \($0.network.vlan))" }.joined(separator: ", ")
            return conflict("vlans", "machines on VLANs the host would no longer trunk: \(shown)")
        }
        return nil
    }

    private static func conflict(_ field: String, _ reason: String) -> KennelError {
        KennelError(.conflict, "\(field): \(reason); move or delete them first, or drain the host and add force=1", field: field)
    }
}
