import KennelModel
import KennelPlacement
import Testing

@Suite("Placement properties over random topologies and request streams")
struct PlacementPropertyTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(
        "no host over capacity × overcommit, no machine outside its IDC/zone, best-effort rack skew ≤ 1 while an eligible rack has room",
        arguments: Array(1...25))
    func properties(seed: Int) throws {
        var random = Generator(state: UInt64(seed) &* 0x9E37_79B9)
        var hosts: [ComputeHost] = []
        for idc in ["dc1", "dc2"] {
            for zone in ["z1", "z2"].prefix(1 + random.next(2)) {
                for rack in (1...(2 + random.next(4))).map({ "r\($0)" }) {
                    for h in 1...(1 + random.next(3)) {
                        hosts.append(
                            Fixture.host(
                                "\(idc)-\(zone)-\(rack)-h\(h)", idc: idc, zone: zone, rack: rack,
                                cpus: 2 + random.next(6), memoryGiB: UInt64(4 + random.next(12)),
                                state: random.next(10) == 0 ? .draining : .active))
                    }
                }
            }
        }
        var used: [Hostname: Resources] = [:]
        var services: [Hostname: [String: Int]] = [:]
        for _ in 0..<120 {
            let service = ["web", "db", "cache"][random.next(3)]
            let zone: String? = random.next(2) == 0 ? nil : "z1"
            let request = PlacementRequest(
                idc: Fixture.name(["dc1", "dc2"][random.next(2)]), zone: zone.map(Fixture.name),
                resources: Resources(cpus: 1 + random.next(3), memory: .gibibytes(UInt64(1 + random.next(4))), disk: .gibibytes(1)),
                vlans: [Fixture.vlan(100)], service: Fixture.label(service)
            )
            let candidates = HostCandidate.make(hosts.map { ($0, used[$0.name] ?? .zero, services[$0.name]?[service] ?? 0) })
            let eligible = candidates.filter { candidate in
                (try? Placement.choose(request, among: [candidate])) != nil
            }
            guard let chosen = try? Placement.choose(request, among: candidates) else {
                #expect(eligible.isEmpty, "refused although \(eligible.count) hosts could take it")
                continue
            }
            #expect(chosen.host.location.idc == request.idc)
            if let zone = request.zone { #expect(chosen.host.location.zone == zone) }
            // Best-effort spread: the chosen rack holds no more of the service than any eligible rack.
            var rackLoad: [SiteLocation: Int] = [:]
            for host in hosts { rackLoad[host.location, default: 0] += services[host.name]?[service] ?? 0 }
            let fewest = eligible.map { rackLoad[$0.host.location, default: 0] }.min() ?? 0
            #expect(rackLoad[chosen.host.location, default: 0] == fewest)
            used[chosen.host.name] = (used[chosen.host.name] ?? .zero) + request.resources
            services[chosen.host.name, default: [:]][service, default: 0] += 1
        }
        for host in hosts {
            let load = used[host.name] ?? .zero
            #expect(Double(load.cpus) <= Double(host.capacity.cpus) * host.overcommit.cpu)
            #expect(load.memory.bytes <= host.capacity.memory.bytes)
            #expect(load.disk <= host.capacity.disk)
            if host.state != .active { #expect(load == .zero) }
        }
    }
}

@Suite("The fast filter path agrees with the explained filters")
struct FastPathAgreementTests {
    @Test("for random hosts and requests, a single host is chosen exactly when no filter explains a refusal", arguments: Array(1...10))
    func agreement(seed: Int) {
        var random = PlacementPropertyTests.Generator(state: UInt64(seed) &* 0x2545_F491)
        for _ in 0..<300 {
            let host = Fixture.host(
                "h", idc: ["dc1", "dc2"][random.next(2)], zone: ["z1", "z2"][random.next(2)], cpus: 1 + random.next(8),
                memoryGiB: UInt64(1 + random.next(8)), vlans: [[100], [200], [100, 200], []][random.next(4)],
                state: [.active, .active, .draining, .down][random.next(4)], bandwidthMbit: [nil, 100, 1000][random.next(3)],
                hostClass: [nil, "general", "highmem"][random.next(3)], labels: [[], ["ssd"], ["ssd", "gpu=t4"]][random.next(3)]
            )
            let request = Fixture.request(
                cpus: 1 + random.next(40), memoryGiB: UInt64(1 + random.next(10)), zone: [nil, "z1"][random.next(2)],
                vlans: [[100], [200], [300]][random.next(3)], ingressMbit: UInt64([0, 50, 500][random.next(3)]),
                hostClass: [nil, "general"][random.next(2)], labels: [[], ["ssd"]][random.next(2)]
            )
            let candidates = HostCandidate.make([
                (host, Resources(cpus: random.next(10), memory: .gibibytes(UInt64(random.next(4))), disk: .gibibytes(0)), 0)
            ])
            let chosen = (try? Placement.choose(request, among: candidates)) != nil
            let explained = PlacementReport.explain(request, among: candidates).refusals.hosts.isEmpty
            #expect(chosen == explained)
        }
    }
}

@Suite("Best-effort spread keeps rack skew at most 1")
struct SkewBoundTests {
    @Test("while every rack has room, any number of a service's machines differ by at most 1 between racks", arguments: Array(1...15))
    func skew(seed: Int) throws {
        var random = PlacementPropertyTests.Generator(state: UInt64(seed) &* 0x5851_F42D)
        let racks = 2 + random.next(6)
        let hosts = (1...racks).flatMap { rack in
            (1...(1 + random.next(3))).map { Fixture.host("r\(rack)-h\($0)", rack: "r\(rack)", cpus: 64, memoryGiB: 1024) }
        }
        var used: [Hostname: (Resources, Int)] = [:]
        var perRack: [String: Int] = Dictionary(uniqueKeysWithValues: (1...racks).map { ("r\($0)", 0) })
        for _ in 0..<(1 + random.next(40)) {
            let candidates = HostCandidate.make(hosts.map { ($0, used[$0.name]?.0 ?? .zero, used[$0.name]?.1 ?? 0) })
            let chosen = try Placement.choose(Fixture.request(service: "web"), among: candidates).host
            let previous = used[chosen.name] ?? (.zero, 0)
            used[chosen.name] = (previous.0 + Resources(cpus: 1, memory: .gibibytes(1), disk: .gibibytes(10)), previous.1 + 1)
            perRack[chosen.location.rack.value, default: 0] += 1
            #expect((perRack.values.max() ?? 0) - (perRack.values.min() ?? 0) <= 1)
        }
    }
}
