import KennelModel

/// What the host set up around a running machine's network — its OVS port rules and its
/// bandwidth shaping — checked and put back by the reconciler when something removed it
/// (an OVS restart drops flows; a hand-run `tc qdisc del` drops shaping).
public protocol NetworkUpkeep: Sendable {
    /// The running machines among `machines` (all on `host`) whose port rules or inbound
    /// shaping are missing, found with one check of the host.
    func driftedNetwork(of machines: [Machine], on host: ComputeHost) async throws -> Set<Hostname>
    /// Puts the machine's port rules and shaping back on its running container.
    func repairNetwork(of machine: Machine, on host: ComputeHost) async throws
}
