import KennelModel
import KennelPlacement
import Testing

@Suite("First placement: filters, rack spread, deterministic tie-break")
struct PlacementTests {
    private static func name(_ text: String) -> Hostname {
        (try? Hostname(parsing: text)) ?? { preconditionFailure(text) }()
    }

    private static func host(
        _ name: String, zone: String = "z1", rack: String = "r1", cpus: Int = 8, memoryGiB: UInt64 = 32,
        vlans: [Int] = [100], state: HostState = .active
    ) -> ComputeHost {
        ComputeHost(
            name: Self.name(name), uri: "fake://\(name)",
            location: SiteLocation(idc: Self.name("dc1"), zone: Self.name(zone), rack: Self.name(rack)),
            capacity: Resources(cpus: cpus, memory: .gibibytes(memoryGiB), disk: .gibibytes(500)),
            bridge: "br0", vlans: vlans.compactMap { try? VLANID($0) }, state: state
        )
    }

    private static func request(cpus: Int = 1, memoryGiB: UInt64 = 1, zone: String? = nil, service: String? = nil, vlan: Int = 100) -> PlacementRequest {
        PlacementRequest(
            idc: name("dc1"), zone: zone.map(name),
            resources: Resources(cpus: cpus, memory: .gibibytes(memoryGiB), disk: .gibibytes(10)),
            vlan: (try? VLANID(vlan)) ?? { preconditionFailure() }(), service: service.flatMap { try? Label(parsing: $0) }
        )
    }

    @Test("the first eligible host by name wins when all else is equal")
    func tieBreakByName() throws {
        let candidates = [Self.host("h2"), Self.host("h1"), Self.host("h3")].map { HostCandidate(host: $0, used: .zero) }
        #expect(try Placement.choose(Self.request(), among: candidates).host.name.value == "h1")
    }

    @Test("hosts that are not active, in another zone or without the VLAN are filtered, with reasons")
    func filters() {
        let candidates = [
            Self.host("a-draining", state: .draining), Self.host("b-zone2", zone: "z2"), Self.host("c-novlan", vlans: [200]),
        ].map { HostCandidate(host: $0, used: .zero) }
        #expect {
            try Placement.choose(Self.request(zone: "z1"), among: candidates)
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity
                && error?.message.contains("host a-draining: state is draining") == true
                && error?.message.contains("host b-zone2: in zone z2") == true
                && error?.message.contains("host c-novlan: bridge does not trunk VLAN 100") == true
        }
    }

    @Test("CPU fits up to capacity × overcommit (8 CPUs × 4.0 = 32)")
    func cpuOvercommit() throws {
        let host = Self.host("h1", cpus: 8)
        let almostFull = HostCandidate(host: host, used: Resources(cpus: 30, memory: .gibibytes(1), disk: .gibibytes(1)))
        #expect(try Placement.choose(Self.request(cpus: 2), among: [almostFull]).host.name.value == "h1")
        #expect {
            try Placement.choose(Self.request(cpus: 3), among: [almostFull])
        } throws: { ($0 as? KennelError)?.message.contains("cpus 2 free < 3 requested") == true }
    }

    @Test("memory is not overcommitted by default, and the refusal names the host and the numbers")
    func memory() {
        let candidate = HostCandidate(host: Self.host("h3", memoryGiB: 32), used: Resources(cpus: 0, memory: .gibibytes(2), disk: .gibibytes(0)))
        #expect {
            try Placement.choose(Self.request(memoryGiB: 32), among: [candidate])
        } throws: { ($0 as? KennelError)?.message.contains("host h3: memory 30G free < 32G requested") == true }
    }

    @Test("a service's next machine goes to the rack holding fewest of it")
    func rackSpread() throws {
        let candidates = [
            HostCandidate(host: Self.host("a1", rack: "r1"), used: .zero, serviceMachines: 1),
            HostCandidate(host: Self.host("a2", rack: "r1"), used: .zero, serviceMachines: 0),
            HostCandidate(host: Self.host("b1", rack: "r2"), used: .zero, serviceMachines: 1),
            HostCandidate(host: Self.host("c1", rack: "r3"), used: .zero, serviceMachines: 0),
        ]
        #expect(try Placement.choose(Self.request(service: "web"), among: candidates).host.name.value == "c1")
    }

    @Test("among equal racks, the host with more free memory wins")
    func freeMemory() throws {
        let candidates = [
            HostCandidate(host: Self.host("a1"), used: Resources(cpus: 1, memory: .gibibytes(8), disk: .gibibytes(0))),
            HostCandidate(host: Self.host("a2"), used: Resources(cpus: 1, memory: .gibibytes(4), disk: .gibibytes(0))),
        ]
        #expect(try Placement.choose(Self.request(), among: candidates).host.name.value == "a2")
    }
}
