import KennelModel
import KennelPlacement
import Testing

@Suite("Placement filters")
struct PlacementFilterTests {
    /// One host that fails exactly one filter, and the reason the refusal must give.
    @Test(
        "each filter refuses with its own reason",
        arguments: [
            ("state", Fixture.host("h", state: .draining), Fixture.request(), "state is draining"),
            ("state", Fixture.host("h", state: .maintenance), Fixture.request(), "state is maintenance"),
            ("idc", Fixture.host("h", idc: "dc2"), Fixture.request(), "in IDC dc2"),
            ("zone", Fixture.host("h", zone: "z2"), Fixture.request(zone: "z1"), "in zone z2"),
            ("class", Fixture.host("h", hostClass: "general"), Fixture.request(hostClass: "highmem"), "class is general, not highmem"),
            ("labels", Fixture.host("h", labels: ["ssd"]), Fixture.request(labels: ["ssd", "gpu=t4"]), "lacks labels gpu=t4"),
            (
                "vlan", Fixture.host("h", vlans: [200]), Fixture.request(vlans: [100, 300]),
                "bridge trunks no VLAN of a pool with free addresses (100,300)"
            ),
            ("cpu", Fixture.host("h", cpus: 2), Fixture.request(cpus: 9), "cpus 8 free < 9 requested"),
            ("memory", Fixture.host("h", memoryGiB: 32), Fixture.request(memoryGiB: 33), "memory 32G free < 33G requested"),
            (
                "bandwidth", Fixture.host("h", bandwidthMbit: 1000), Fixture.request(ingressMbit: 1500),
                "bandwidth in 1G / out 1G free < 1500M / 0 requested"
            ),
        ])
    func filter(name: String, host: ComputeHost, request: PlacementRequest, reason: String) throws {
        let candidates = Fixture.idle([host])
        #expect {
            try Placement.choose(request, among: candidates)
        } throws: { error in
            let details = (error as? KennelError)?.details
            return (error as? KennelError)?.code == .noCapacity && details?.filtered == [name: 1]
                && details?.hosts == [.init(host: "h", filter: name, reason: reason)]
        }
    }

    @Test("a host passing every filter is chosen: the right class, labels, VLAN, and room")
    func passing() throws {
        let host = Fixture.host("h", vlans: [200, 300], bandwidthMbit: 10_000, hostClass: "highmem", labels: ["ssd", "gpu=t4"])
        let request = Fixture.request(
            cpus: 32, memoryGiB: 32, vlans: [300], ingressMbit: 5000, egressMbit: 5000, hostClass: "highmem", labels: ["gpu=t4"])
        #expect(try Placement.choose(request, among: Fixture.idle([host])).host.name.value == "h")
    }

    @Test("CPU may be promised up to capacity × overcommit, memory and disk up to capacity")
    func overcommit() throws {
        let host = Fixture.host("h", cpus: 8, memoryGiB: 32)
        let loaded = HostCandidate.make([(host, Resources(cpus: 30, memory: .gibibytes(30), disk: .gibibytes(490)), 0)])
        #expect(try Placement.choose(Fixture.request(cpus: 2, memoryGiB: 2), among: loaded).host.name.value == "h")
        #expect(throws: KennelError.self) { try Placement.choose(Fixture.request(cpus: 3), among: loaded) }
        #expect(throws: KennelError.self) { try Placement.choose(Fixture.request(memoryGiB: 3), among: loaded) }
    }

    @Test("bandwidth limits may add up to the NIC's bandwidth × the host's bandwidth overcommit")
    func bandwidthOvercommit() throws {
        var host = Fixture.host("h", bandwidthMbit: 1000)
        host.overcommit.bandwidth = 2
        let loaded = HostCandidate.make([(host, Resources(cpus: 1, memory: .gibibytes(1), disk: .gibibytes(10), ingress: 1_500_000_000), 0)])
        #expect(try Placement.choose(Fixture.request(ingressMbit: 500), among: loaded).host.name.value == "h")
        #expect(throws: KennelError.self) { try Placement.choose(Fixture.request(ingressMbit: 501), among: loaded) }
        host.overcommit.bandwidth = 1
        #expect(host.schedulable.ingress == 1_000_000_000 && host.schedulable.egress == 1_000_000_000)
    }

    @Test("a refusal counts hosts per filter and names every host")
    func explanation() {
        let hosts = [Fixture.host("a", state: .down), Fixture.host("b", zone: "z2"), Fixture.host("c", zone: "z2"), Fixture.host("d", cpus: 1)]
        #expect {
            try Placement.choose(Fixture.request(cpus: 8, zone: "z1"), among: Fixture.idle(hosts))
        } throws: { error in
            let error = error as? KennelError
            return error?.details?.filtered == ["state": 1, "zone": 2, "cpu": 1]
                && error?.details?.hosts.map(\.host) == ["a", "b", "c", "d"]
                && error?.message.contains("host d: cpus 4 free < 8 requested") == true
        }
    }
}
