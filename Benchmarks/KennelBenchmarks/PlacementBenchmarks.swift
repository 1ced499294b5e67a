import Foundation
import KennelControl
import KennelModel
import KennelPlacement
import KennelStore
import KennelTesting

/// Placement over large sites: the pure engine for one request and for a stream of
/// requests, and whole creates through the store.
enum PlacementBenchmarks {
    static func run() async throws {
        print("Placement benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        for hosts in [1000, 10_000] { try single(hosts: hosts) }
        try batch(hosts: 10_000, requests: 10_000)
        try await storeCreates(hosts: 1000)
    }

    /// `count` hosts in 20-host racks over 4 zones, each already holding 10 machines, a
    /// tenth of them of service `web`.
    static func candidates(_ count: Int) -> [HostCandidate] {
        let site = TestSite.make(zones: 4, racks: count / 80, hostsPerRack: 20, cpus: 64, memory: "512G", disk: "8T")
        return HostCandidate.make(
            site.hosts.enumerated().map { index, host in
                (host, Resources(cpus: 20, memory: .gibibytes(40), disk: .gibibytes(200)), index % 10 == 0 ? 1 : 0)
            })
    }

    static func request() -> PlacementRequest {
        PlacementRequest(
            idc: TestSite.value("dc1"), zone: nil, resources: Resources(cpus: 2, memory: .gibibytes(4), disk: .gibibytes(20)),
            vlans: [TestSite.value("100")], service: TestSite.value("web")
        )
    }

    static func single(hosts: Int) throws {
        let pool = candidates(hosts)
        let request = request()
        let rounds = hosts >= 10_000 ? 2000 : 10_000
        var chosen = 0
        let start = ContinuousClock.now
        for _ in 0..<rounds { chosen &+= try Placement.choose(request, among: pool).rackIndex }
        let elapsed = ContinuousClock.now - start
        Stopwatch.report("one placement over \(pool.count) hosts (10 machines each, spread)", operations: rounds, seconds: elapsed.seconds)
        if chosen == -1 { print("") }
    }

    /// 10,000 requests placed one after another, each seeing the previous ones' usage.
    static func batch(hosts: Int, requests: Int) throws {
        var pool = candidates(hosts)
        let request = request()
        let start = ContinuousClock.now
        for _ in 0..<requests {
            let index = try Placement.chooseIndex(request, among: pool)
            let chosen = pool[index]
            pool[index] = HostCandidate(
                host: chosen.host, used: chosen.used + request.resources,
                serviceMachines: chosen.serviceMachines + 1, rackIndex: chosen.rackIndex)
        }
        let elapsed = ContinuousClock.now - start
        Stopwatch.report("batch of \(requests) placements over \(pool.count) hosts", operations: requests, seconds: elapsed.seconds)
    }

    /// Whole machine creates (store claim + fake host steps) over a site of `hosts` hosts.
    static func storeCreates(hosts: Int) async throws {
        try await IPAMBenchmarks.withDatabase { store in
            let site = TestSite.make(zones: 4, racks: hosts / 80, hostsPerRack: 20, cpus: 64, memory: "512G", disk: "8T", cidr: "10.0.0.0/16")
            let plane = try await TestControlPlane.make(site: site, store: store)
            let count = 500
            let seconds = try await Stopwatch.time {
                for n in 0..<count { _ = try await plane.services.machines.create(TestSite.request("p-\(n)", service: "web")) }
            }
            Stopwatch.report("in-process machine create over \(site.hosts.count) hosts (store)", operations: count, seconds: seconds)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
