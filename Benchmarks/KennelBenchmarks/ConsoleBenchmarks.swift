import Foundation
import Hummingbird
import HummingbirdTesting
import KennelConsole
import KennelControl
import KennelImport
import KennelModel
import KennelServer
import KennelTesting

/// The console's machines list over 10,000 machines (imported records only into a SQLite
/// file, as `kennel serve` keeps it): a signed-in GET of the first page, of page 100
/// sorted by IP, and of a search within a filter — read, filter, sort, page and render,
/// through the whole router in process. `KENNEL_BENCH_CONSOLE_MACHINES` sets the count.
enum ConsoleBenchmarks {
    static func run(machines: Int = ProcessInfo.processInfo.environment["KENNEL_BENCH_CONSOLE_MACHINES"].flatMap(Int.init) ?? 10_000)
        async throws
    {
        print("Console benchmarks: the machines list over \(machines) machines")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-bench-console-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plane = try await BenchmarkPlanes.large(in: directory)
        let handle = try await plane.services.imports.submitApply(
            [SourceFile(name: "vInfo.csv", bytes: RVToolsSample.make(rows: machines))], map: BenchmarkPlanes.rvtoolsMap,
            options: ImportApplyOptions(recordsOnly: true),
            by: .system)
        _ = try await handle.result()
        print("  machines: \(try await plane.rowCounts().machines)")
        var count = 0
        let listing = try await Stopwatch.time { for _ in 0..<5 { count = try await plane.services.machines.list().count } }
        Stopwatch.report("MachineService.list (\(count) machines, for comparison)", operations: 5, seconds: listing)
        let token = try await plane.adminToken()
        let console = try ConsoleRoutes(services: plane.services)
        let app = Application(router: KennelAPI.router(services: plane.services, extensions: [console]), logger: .init(label: "bench"))
        try await app.test(.router) { client in
            let login = try await client.execute(
                uri: "/ui/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(token)"))
            guard let cookie = login.headers[.setCookie]?.split(separator: ";").first.map(String.init) else {
                print("  sign-in failed: \(login.status)")
                return
            }
            for (label, path) in [
                ("GET /ui/machines (first page of 50)", "/ui/machines"),
                ("GET /ui/machines?sort=ip&dir=desc&page=100", "/ui/machines?sort=ip&dir=desc&page=100"),
                ("GET /ui/machines?zone=z2&q=vm-0&per=200", "/ui/machines?zone=z2&q=vm-0&per=200"),
            ] {
                var bytes = 0
                let repeats = 20
                let seconds = try await Stopwatch.time {
                    for _ in 0..<repeats {
                        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie], body: nil)
                        bytes = response.body.readableBytes
                    }
                }
                Stopwatch.report("\(label), \(bytes / 1024) KiB", operations: repeats, seconds: seconds)
            }
        }
    }
}
