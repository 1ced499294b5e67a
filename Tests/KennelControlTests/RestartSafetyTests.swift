import Foundation
import KennelControl
import KennelLibvirt
import KennelModel
import KennelStore
import KennelTesting
import Logging
import Testing

@Suite("Restart safety")
struct RestartSafetyTests {
    @Test("after a restart, machines keep their IPs and hosts, and domains missing from fresh simulated hosts are defined again")
    func restart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-restart-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let databasePath = directory.appendingPathComponent("kennel.sqlite").path
        let site = TestSite.make(zones: 1, racks: 2, hostsPerRack: 1) { name in
            (try? SimulatedHost.prepare(name: name, cpus: 8, memory: .gibibytes(32), in: directory)) ?? "test:///invalid"
        }
        let logger = Logger.silent

        var before: [Machine] = []
        do {
            let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), logger: logger)
            let plane = try await TestControlPlane.make(site: site, store: try SQLiteMachineStore(path: databasePath), runtime: runtime)
            for name in ["web-01", "web-02", "web-03"] {
                before.append(try await plane.services.machines.create(TestSite.request(name, service: "web")))
            }
        }

        // A new process: a new store on the same file, new (empty) simulated hosts.
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), logger: logger)
        let plane = try await TestControlPlane.make(site: site, store: try SQLiteMachineStore(path: databasePath), runtime: runtime)
        let hosts = try await plane.services.inventory.hosts()
        for machine in before {
            let host = try #require(hosts.first { $0.name == machine.host })
            #expect(try await runtime.presence(of: machine, on: host) == .absent)
        }
        let report = try await plane.services.reconciler.reconcile()
        #expect(Set(report.restored) == Set(before.map(\.name)))
        #expect(report.failures.isEmpty)

        let after = try await plane.services.machines.list()
        #expect(after.map(\.network.ip) == before.map(\.network.ip))
        #expect(after.map(\.host) == before.map(\.host))
        for machine in after {
            let host = try #require(hosts.first { $0.name == machine.host })
            #expect(try await runtime.presence(of: machine, on: host) == .running)
            #expect(machine.state == .running)
        }
        #expect(try await plane.services.reconciler.reconcile().restored.isEmpty)
    }

    @Test("an interrupted delete is finished at start-up")
    func interruptedDelete() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.store.transaction { try $0.setState(.deleting, failure: nil, of: machine.name) }
        let report = try await plane.services.reconciler.reconcile()
        #expect(report.finishedDeletes == [machine.name])
        #expect(await runtime.definedMachines.isEmpty)
        #expect(try await plane.rowCounts().machines == 0)
        #expect(try await plane.leaseStates() == [.quarantined])
    }
}
