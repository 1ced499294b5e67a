import KennelModel

/// A running machine's limits changed in place: CPU, memory, bandwidth and disk IO.
public protocol LiveLimits: Sendable {
    /// Applies `machine.spec`'s CPU, memory, bandwidth and disk IO limits to its running
    /// container (live, through libvirt and tc) and to its definition for the next start;
    /// a stopped machine gets them at its next start.
    func applyLimits(_ machine: Machine, on host: ComputeHost) async throws
    /// The memory the machine's container uses now (its memory cgroup), nil when it does
    /// not run or its host has no real machines.
    func memoryInUse(of machine: Machine, on host: ComputeHost) async throws -> ByteSize?
}
