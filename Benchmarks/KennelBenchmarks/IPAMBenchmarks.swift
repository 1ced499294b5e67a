import AsyncHTTPClient
import Foundation
import KennelControl
import KennelIPAM
import KennelModel
import KennelServer
import KennelStore
import KennelTesting
import NIOCore

/// Address allocation on a /16 pool (65,533 addresses): the pure allocator, the store's
/// free-run index, whole machine creates in-process, and creates through the HTTP API.
enum IPAMBenchmarks {
    static func run() async throws {
        print("IPAM benchmarks (pool 10.0.0.0/16, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        try pureAllocator()
        try await storeAllocator()
        try await serviceCreates()
        try await httpCreates()
    }

    /// A site whose hosts never run out of room, with one /16 pool.
    static func site() -> Site {
        TestSite.make(zones: 1, racks: 5, hostsPerRack: 2, cpus: 100_000, memory: "1P", disk: "1P", cidr: "10.0.0.0/16")
    }

    static func pureAllocator() throws {
        let layout = PoolLayout(pool: site().pools[0])
        let runs = InMemoryFreeRuns(layout.allocatable)
        var count = 0
        let start = ContinuousClock.now
        while try AddressAllocator.takeLowest(from: runs) != nil { count += 1 }
        let elapsed = ContinuousClock.now - start
        Stopwatch.report(
            "pure allocator, drain the /16", operations: count,
            seconds: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
    }

    /// One transaction per allocation against a WAL file database, in chunks of 5,000, to
    /// show the cost does not grow as the pool fills.
    static func storeAllocator() async throws {
        try await withDatabase { store in
            try await store.transaction { try $0.apply(site()) }
            let pool: Hostname = TestSite.value("pool-a")
            for chunk in 0..<13 {
                let seconds = try await Stopwatch.time {
                    for _ in 0..<5000 {
                        _ = try await store.transaction { try $0.takeLowestFreeAddress(in: pool) }
                    }
                }
                if chunk == 0 || chunk == 6 || chunk == 12 {
                    Stopwatch.report("store free-run take, addresses \(chunk * 5000)-\(chunk * 5000 + 4999) used", operations: 5000, seconds: seconds)
                }
            }
        }
    }

    /// Whole creates (claim transaction: placement + lease + rows, then the host steps on
    /// a fake runtime, then the running state) through MachineService.
    static func serviceCreates() async throws {
        try await withDatabase { store in
            let plane = try await TestControlPlane.make(site: site(), store: store)
            var created = 0
            for chunk in 0..<4 {
                let seconds = try await Stopwatch.time {
                    for _ in 0..<2000 {
                        created += 1
                        _ = try await plane.services.machines.create(TestSite.request("m-\(created)", memory: "1G", disk: "1G"))
                    }
                }
                Stopwatch.report("in-process machine create, batch \(chunk + 1) (\(chunk * 2000) used)", operations: 2000, seconds: seconds)
            }
        }
    }

    /// Creates through the HTTP API on loopback, 8 requests in flight.
    static func httpCreates() async throws {
        try await withDatabase { store in
            let plane = try await TestControlPlane.make(site: site(), store: store)
            let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: .silent) { port in
                await PortBox.shared.set(port)
            }
            let server = Task { try await app.runService() }
            defer { server.cancel() }
            let port = await PortBox.shared.wait()
            let total = 4000
            let inFlight = 8
            let seconds = try await Stopwatch.time {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<inFlight {
                        group.addTask {
                            for n in stride(from: worker, to: total, by: inFlight) {
                                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/machines")
                                request.method = .POST
                                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                                request.body = .bytes(ByteBuffer(string: "name=h-\(n)&idc=dc1&memory=1G&disk=1G"))
                                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                                _ = try await response.body.collect(upTo: 1 << 20)
                                guard response.status.code == 201 else { throw KennelError(.internal, "HTTP \(response.status.code)") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            Stopwatch.report("HTTP machine create, \(inFlight) in flight", operations: total, seconds: seconds)
        }
    }

    static func withDatabase(_ body: (SQLiteMachineStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(try SQLiteMachineStore(path: directory.appendingPathComponent("bench.sqlite").path))
    }
}

/// Hands the server's port from its start callback to the benchmark.
actor PortBox {
    static let shared = PortBox()
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(_ value: Int) {
        port = value
        for waiter in waiters { waiter.resume(returning: value) }
        waiters = []
    }

    func wait() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
