import KennelModel
import KennelPlacement

/// Hosts and requests for placement tests.
enum Fixture {
    static func name(_ text: String) -> Hostname {
        do { return try Hostname(parsing: text) } catch { preconditionFailure(text) }
    }

    static func label(_ text: String) -> Label {
        do { return try Label(parsing: text) } catch { preconditionFailure(text) }
    }

    static func vlan(_ value: Int) -> VLANID {
        do { return try VLANID(value) } catch { preconditionFailure("\(value)") }
    }

    static func host(
        _ name: String, idc: String = "dc1", zone: String = "z1", rack: String = "r1", cpus: Int = 8, memoryGiB: UInt64 = 32,
        vlans: [Int] = [100], state: HostState = .active, bandwidthMbit: UInt64? = nil, hostClass: String? = nil, labels: [String] = []
    ) -> ComputeHost {
        ComputeHost(
            name: Self.name(name), uri: "fake://\(name)",
            location: SiteLocation(idc: Self.name(idc), zone: Self.name(zone), rack: Self.name(rack)),
            capacity: Resources(cpus: cpus, memory: .gibibytes(memoryGiB), disk: .gibibytes(500)),
            bridge: "br0", vlans: vlans.map(vlan), state: state,
            bandwidth: bandwidthMbit.map { .megabits($0) }, hostClass: hostClass.map(label), labels: labels.map(label)
        )
    }

    static func request(
        cpus: Int = 1, memoryGiB: UInt64 = 1, zone: String? = nil, service: String? = nil, vlans: [Int] = [100],
        spread: SpreadMode = .bestEffort, scoring: ScoringPolicy = .spread, ingressMbit: UInt64 = 0, egressMbit: UInt64 = 0,
        hostClass: String? = nil, labels: [String] = []
    ) -> PlacementRequest {
        PlacementRequest(
            idc: name("dc1"), zone: zone.map(name),
            resources: Resources(
                cpus: cpus, memory: .gibibytes(memoryGiB), disk: .gibibytes(10),
                ingress: ingressMbit * 1_000_000, egress: egressMbit * 1_000_000),
            vlans: Set(vlans.map(vlan)), service: service.map(label), spread: spread,
            hostClass: hostClass.map(label), hostLabels: labels.map(label), scoring: scoring
        )
    }

    /// Candidates with nothing used.
    static func idle(_ hosts: [ComputeHost]) -> [HostCandidate] {
        HostCandidate.make(hosts.map { ($0, .zero, 0) })
    }
}
