import KennelModel
import KennelPlacement
import Testing

@Suite("Placement spread, scoring and tie-break")
struct PlacementSpreadTests {
    /// Places `count` machines of `service` one by one, updating usage as a store would.
    static func place(
        _ count: Int, service: String?, hosts: [ComputeHost], spread: SpreadMode = .bestEffort,
        scoring: ScoringPolicy = .spread, cpus: Int = 1
    ) throws -> [ComputeHost] {
        var used: [Hostname: (Resources, Int)] = [:]
        var placed: [ComputeHost] = []
        for _ in 0..<count {
            let candidates = HostCandidate.make(hosts.map { ($0, used[$0.name]?.0 ?? .zero, used[$0.name]?.1 ?? 0) })
            let chosen = try Placement.choose(Fixture.request(cpus: cpus, service: service, spread: spread, scoring: scoring), among: candidates).host
            let previous = used[chosen.name] ?? (.zero, 0)
            used[chosen.name] = (previous.0 + Resources(cpus: cpus, memory: .gibibytes(1), disk: .gibibytes(10)), previous.1 + 1)
            placed.append(chosen)
        }
        return placed
    }

    static let threeRacks = ["r1", "r2", "r3"].flatMap { rack in [Fixture.host("\(rack)-a", rack: rack), Fixture.host("\(rack)-b", rack: rack)] }

    @Test("6 machines of web in an IDC with 3 racks land 2 per rack, on 6 different hosts")
    func sixOverThreeRacks() throws {
        let placed = try Self.place(6, service: "web", hosts: Self.threeRacks)
        let perRack = Dictionary(grouping: placed, by: \.location.rack).mapValues(\.count)
        #expect(perRack.values.sorted() == [2, 2, 2])
        #expect(Set(placed.map(\.name)).count == 6)
    }

    @Test("strict spread: a 4th machine in a zone whose 3 racks each hold one is spread_impossible")
    func strict() throws {
        let placed = try Self.place(3, service: "web", hosts: Self.threeRacks, spread: .strict)
        #expect(Set(placed.map(\.location.rack)).count == 3)
        #expect {
            _ = try Self.place(4, service: "web", hosts: Self.threeRacks, spread: .strict)
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .spreadImpossible && error?.details?.filtered["spread"] == 6
        }
    }

    @Test("another service is not held back by web's machines")
    func servicesAreIndependent() throws {
        let hosts = Self.threeRacks
        let web = HostCandidate.make(hosts.map { ($0, .zero, $0.location.rack.value == "r1" ? 0 : 1) })
        let chosen = try Placement.choose(Fixture.request(service: "web", spread: .strict), among: web)
        #expect(chosen.host.location.rack.value == "r1")
        #expect(try Placement.choose(Fixture.request(service: nil), among: web).host.name.value == "r1-a")
    }

    @Test("a rack counts the service's machines on its ineligible hosts too")
    func rackCountsIneligibleHosts() throws {
        let hosts = [Fixture.host("r1-a", rack: "r1"), Fixture.host("r1-b", rack: "r1", state: .draining), Fixture.host("r2-a", rack: "r2")]
        let candidates = HostCandidate.make(hosts.map { ($0, .zero, $0.name.value == "r1-b" ? 1 : 0) })
        #expect(try Placement.choose(Fixture.request(service: "web"), among: candidates).host.name.value == "r2-a")
    }

    @Test("spread scoring fills hosts evenly; binpack fills one before the next")
    func scoring() throws {
        let hosts = [Fixture.host("a"), Fixture.host("b")]
        #expect(try Self.place(4, service: nil, hosts: hosts, scoring: .spread, cpus: 4).map(\.name.value) == ["a", "b", "a", "b"])
        #expect(try Self.place(4, service: nil, hosts: hosts, scoring: .binpack, cpus: 4).map(\.name.value) == ["a", "a", "a", "a"])
    }

    @Test("equal hosts are chosen by name, whatever their order")
    func tieBreak() throws {
        let hosts = [Fixture.host("h3"), Fixture.host("h1"), Fixture.host("h2")]
        #expect(try Placement.choose(Fixture.request(), among: Fixture.idle(hosts)).host.name.value == "h1")
        #expect(try Placement.choose(Fixture.request(), among: Fixture.idle(hosts.reversed())).host.name.value == "h1")
    }

    @Test("the report ranks eligible hosts best first and lists refusals")
    func report() {
        let hosts = [Fixture.host("a", rack: "r1"), Fixture.host("b", rack: "r2"), Fixture.host("c", rack: "r3", state: .down)]
        let candidates = HostCandidate.make(hosts.map { ($0, .zero, $0.name.value == "a" ? 1 : 0) })
        let report = PlacementReport.explain(Fixture.request(service: "web"), among: candidates)
        #expect(report.chosen?.name.value == "b")
        #expect(report.ranking.map(\.host.name.value) == ["b", "a"])
        #expect(report.ranking.map(\.rackServiceMachines) == [0, 1])
        #expect(report.refusals.hosts == [.init(host: "c", filter: "state", reason: "state is down")])
    }
}
