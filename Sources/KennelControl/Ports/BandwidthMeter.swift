import KennelModel

/// A running machine's bandwidth measured against a peer on its VLAN: what its limits
/// give TCP in practice, each way.
public protocol BandwidthMeter: Sendable {
    /// Sets up a probe on the machine's VLAN at `peer` (an address borrowed from its pool,
    /// on the machine's host bridge), measures TCP out of and into the machine for
    /// `seconds` each (after one second of slow start), and removes the probe whatever
    /// happens. Throws `conflict` on hosts that run no real machines.
    func measureBandwidth(of machine: Machine, on host: ComputeHost, peer: IPv4Address, seconds: Int) async throws -> BandwidthSample
    /// Removes every probe left on `host` (namespaces, iperf3 servers and bridge ports of
    /// tests a stopped Kennel never finished), answering how many; called at start-up,
    /// when no test runs, before their addresses can go to machines.
    func removeLeftoverProbes(on host: ComputeHost) async throws -> Int
}
