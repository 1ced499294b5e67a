import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KennelCLI
import KennelServer
import KennelWire
import KennelTesting
import Testing

@Suite("kennel host, placement and service")
struct PlacementCLITests {
    @Test("drain a host, explain a request, and read a spread report over real HTTP")
    func roundTrip() async throws {
        let plane = try await TestControlPlane.make()
        let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: .silent)
        try await app.test(.live) { client in
            let options = try APIOptions.parse(["--api", "http://127.0.0.1:\(try #require(client.port))", "--token", try await plane.adminToken()])
            for n in 1...2 {
                _ = try await options.client.decode(
                    MachineView.self, .POST, "/api/v1/machines?wait=1",
                    form: try MachineCreate.parse(["web-\(n)", "--idc", "dc1", "--zone", "z1", "--service", "web"]).form)
            }
            let (drained, _) = try await options.client.decode(HostView.self, .PATCH, "/api/v1/hosts/z1-r3-h1", form: [("state", "draining")])
            #expect(HostText.details(drained).contains("state      draining"))

            let (hosts, _) = try await options.client.decode(KennelWire.HostList.self, .GET, "/api/v1/hosts")
            #expect(HostText.table(hosts.hosts).contains("z1-r1-h1  active    dc1  z1    r1    1"))

            let (explained, _) = try await options.client.decode(PlacementView.self, .GET, "/api/v1/placement/explain?idc=dc1&zone=z1&service=web")
            let text = PlacementText.explain(explained)
            #expect(text.hasPrefix("would place on z1-r3-h2 (z1/r3)"))
            #expect(text.contains("z1-r3-h1  state   state is draining"))

            let (spread, _) = try await options.client.decode(SpreadView.self, .GET, "/api/v1/services/web/spread")
            #expect(PlacementText.spread(spread).contains("z1: r1=1 r2=1 r3=0"))

            try APIClient.check(try await options.client.send(.POST, "/api/v1/racks", form: [("idc", "dc1"), ("zone", "z1"), ("name", "r4")]))
            let (topology, _) = try await options.client.decode(TopologyView.self, .GET, "/api/v1/topology")
            #expect(topology.text == "dc1\n  z1: r1 r2 r3 r4\n  z2: r1 r2 r3\n")
        }
    }
}
