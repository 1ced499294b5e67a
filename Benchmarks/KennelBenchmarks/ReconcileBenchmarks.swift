import Foundation
import KennelControl
import KennelLibvirt
import KennelModel
import KennelStore
import KennelTesting
import Logging

/// A reconcile pass over a large simulated site: 10,000 machines on 100 hosts of
/// libvirt's test driver, all running, so a pass is one listing per host and nothing
/// else; then the same pass with 1 % of the containers dead.
enum ReconcileBenchmarks {
    static func run(hosts: Int = 100, machines: Int = 10_000) async throws {
        print("Reconcile benchmarks: \(machines) machines on \(hosts) simulated hosts (libvirt test driver)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-bench-reconcile-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = TestSite.make(zones: 2, racks: hosts / 20, hostsPerRack: 10, cpus: 64, memory: "256G", disk: "8T", cidr: "10.64.0.0/17") {
            (try? SimulatedHost.prepare(name: $0, cpus: 64, memory: .gibibytes(256), in: directory)) ?? "test:///missing"
        }
        let runtime = LibvirtHostRuntime(
            policy: HostURIPolicy(simulatedHosts: .any), logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let plane = try await TestControlPlane.make(site: site, runtime: runtime)
        let filling = try await Stopwatch.time {
            for n in 1...machines {
                _ = try await plane.services.machines.create(TestSite.request("m-\(n)", memory: "64M", disk: "512M"))
            }
        }
        Stopwatch.report("create (claim + test-driver define and start)", operations: machines, seconds: filling)

        var passes: [Double] = []
        for _ in 1...5 {
            passes.append(try await Stopwatch.time { _ = try await plane.services.reconciler.reconcile(.running) })
        }
        let median = passes.sorted()[2]
        Stopwatch.report("reconcile pass, all running (median of 5)", operations: machines, seconds: median)

        let stopped = Array(try await plane.store.machines().prefix(machines / 100))
        for machine in stopped {
            guard let host = site.hosts.first(where: { $0.name == machine.host }) else { continue }
            try await runtime.stop(machine, on: host, timeout: .seconds(1))
        }
        var restored = 0
        let repair = try await Stopwatch.time { restored = try await plane.services.reconciler.reconcile(.running).restored.count }
        Stopwatch.report("reconcile pass restoring \(restored) dead containers", operations: machines, seconds: repair)
    }
}
