import AsyncHTTPClient
import Foundation
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Logging
import NIOCore

/// `/metrics` over HTTP with per-machine usage for 1,000 machines on 50 hosts, one of
/// which never answers: the first scrape (cold cache, reads start behind it) and scrapes
/// once the cache is warm. The target is under a second.
enum MetricsBenchmarks {
    static func run(hosts: Int = 50, machines: Int = 1_000) async throws {
        print("Metrics benchmarks: /metrics with \(machines) machines on \(hosts) hosts, one host hung")
        let site = TestSite.make(zones: 2, racks: hosts / 10, hostsPerRack: 5, cpus: 64, memory: "256G", disk: "8T", cidr: "10.64.0.0/21")
        let hung = site.hosts[0].name
        let plane = try await TestControlPlane.make(site: site, usageReader: FakeUsageReader(hanging: [hung]))
        for n in 1...machines {
            _ = try await plane.services.machines.create(TestSite.request("m-\(n)", memory: "64M", disk: "512M"))
        }
        let token = try await plane.adminToken()
        let silent = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portReady) = AsyncStream<Int>.makeStream()
        let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: silent) { port in
            portReady.yield(port)
        }
        let serving = Task { try await app.runService() }
        defer { serving.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func scrape() async throws -> Int {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            return String(buffer: body).split(separator: "\n").filter { $0.hasPrefix("kennel_machine_cpu_seconds_total{") }.count
        }
        let cold = try await Stopwatch.time { _ = try await scrape() }
        Stopwatch.report("first scrape (cold cache, reads start behind it)", operations: 1, seconds: cold)
        try await Task.sleep(for: .milliseconds(500))
        var times: [Double] = []
        var series = 0
        for _ in 1...9 {
            times.append(try await Stopwatch.time { series = try await scrape() })
        }
        Stopwatch.report("warm scrape, \(series) machines' series (median of 9)", operations: 1, seconds: times.sorted()[4])
        try await client.shutdown()
    }
}
