import Foundation
@testable import KennelCLI
import KennelModel
import KennelTesting
import Testing

@Suite("Demo mode")
struct DemoSiteTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func settings(_ data: URL) -> ServeSettings {
        ServeSettings(siteFile: Self.repository.appendingPathComponent("Ops/demo/site.json"), dataDirectory: data)
    }

    @Test("the demo site is dc1 with zones z1 and z2, 3 racks each, 2 simulated 8-CPU hosts per rack, and pool dc1-vlan100")
    func demoSite() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let control = try await ControlPlane.start(settings(data), logger: .silent)
        let hosts = try await control.services.inventory.hosts()
        #expect(hosts.count == 12)
        #expect(Set(hosts.map(\.location.zone.value)) == ["z1", "z2"])
        #expect(Set(hosts.map { "\($0.location.zone)/\($0.location.rack)" }).count == 6)
        #expect(hosts.allSatisfy { $0.capacity == Resources(cpus: 8, memory: .gibibytes(32), disk: .gibibytes(500)) })
        #expect(hosts.allSatisfy { $0.uri.transport == .test })
        #expect(Set(hosts.map(\.uri)).count == 12)
        let pool = try #require(try await control.services.pools.list().first?.pool)
        #expect(pool.name.value == "dc1-vlan100")
        #expect(pool.cidr.description == "10.100.0.0/24")
        #expect(pool.gateway.description == "10.100.0.1")
        #expect(pool.vlan.value == 100)
        #expect(pool.zones.map(\.value) == ["z1", "z2"])
    }

    @Test("restarting the demo keeps machines, IPs and placements, and redefines their domains")
    func demoRestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await ControlPlane.start(settings(data), logger: .silent)
        let created = try await first.services.machines.create(TestSite.request("web-01", cpus: 2, memory: "4G", disk: "20G", service: "web"))
        let host = try #require(try await first.services.inventory.hosts().first { $0.name == created.host })
        #expect(try await first.runtime.presence(of: created, on: host) == .running)

        let second = try await ControlPlane.start(settings(data), logger: .silent)
        let again = try await second.services.machines.machine(named: created.name)
        #expect(again.network.ip == created.network.ip)
        #expect(again.host == created.host)
        #expect(again.location == created.location)
        #expect(try await second.runtime.presence(of: again, on: host) == .running)
    }

    @Test("demo: 6 creates of web in dc1/z1 land on 3 racks, 2 each; 64 CPUs is refused with reasons naming hosts")
    func demoPlacement() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let control = try await ControlPlane.start(settings(data), logger: .silent)
        var racks: [String] = []
        for n in 1...6 {
            racks.append(try await control.services.machines.create(TestSite.request("web-\(n)", zone: "z1", service: "web")).location.rack.value)
        }
        #expect(Dictionary(grouping: racks, by: { $0 }).mapValues(\.count) == ["r1": 2, "r2": 2, "r3": 2])
        await #expect {
            _ = try await control.services.machines.create(TestSite.request("big", cpus: 64))
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.details?.hosts.count == 12
                && error?.message.contains("host z2-r1-h1: cpus 32 free < 64 requested") == true
        }
    }
}
