import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KennelCLI
import KennelServer
import KennelWire
import KennelTesting
import Testing

@Suite("kennel pool")
struct PoolCLITests {
    @Test(
        "the usage bar shows used, quarantined and free in proportion",
        arguments: [
            (UInt64(0), UInt64(0), UInt64(10), "[..........] 0%"), (UInt64(5), UInt64(0), UInt64(10), "[#####.....] 50%"),
            (UInt64(2), UInt64(3), UInt64(10), "[##~~~.....] 50%"), (UInt64(10), UInt64(0), UInt64(10), "[##########] 100%"),
            (UInt64(1), UInt64(0), UInt64(253), "[#.........] 0%"), (UInt64(0), UInt64(0), UInt64(0), "[          ] empty"),
        ])
    func usageBar(used: UInt64, quarantined: UInt64, size: UInt64, expected: String) {
        #expect(PoolText.usageBar(used: used, quarantined: quarantined, size: size, width: 10) == expected)
    }

    @Test("create, update, show, leases and delete over real HTTP")
    func roundTrip() async throws {
        let plane = try await TestControlPlane.make()
        let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: .silent)
        try await app.test(.live) { client in
            let api = APIClient(baseURL: "http://127.0.0.1:\(try #require(client.port))", token: try await plane.adminToken())
            let create = try PoolCreate.parse([
                "dc1-vlan200", "--cidr", "10.200.0.0/24", "--gateway", "10.200.0.1", "--vlan", "200", "--idc", "dc1", "--ranges",
                "10.200.0.10-10.200.0.19",
            ])
            let form =
                [
                    ("name", "dc1-vlan200"), ("cidr", create.cidr.description), ("gateway", create.gateway.description),
                    ("vlan", create.vlan.description), ("idc", create.idc.value),
                ] + create.settings.form
            let (pool, _) = try await api.decode(PoolView.self, .POST, "/api/v1/pools", form: form)
            #expect(pool.size == 10)
            #expect(PoolText.details(pool).contains("0 used, 0 quarantined, 10 free of 10"))
            #expect(
                PoolText.details(pool).split(separator: "\n").contains { $0.hasPrefix("warning") && $0.contains("no host in dc1 trunks VLAN 200") })

            let update = try PoolUpdate.parse(["dc1-vlan200", "--exclude", "10.200.0.10", "--quarantine", "1h"])
            let (updated, _) = try await api.decode(PoolView.self, .PATCH, "/api/v1/pools/dc1-vlan200", form: update.settings.form)
            #expect(updated.size == 9)
            #expect(updated.quarantine == "1h")

            let (list, _) = try await api.decode(KennelWire.PoolList.self, .GET, "/api/v1/pools")
            #expect(PoolText.table(list.pools).contains("dc1-vlan200  10.200.0.0/24  200"))
            let (leases, _) = try await api.decode(LeaseList.self, .GET, "/api/v1/pools/pool-a/leases")
            #expect(leases.count == 0)
            try APIClient.check(try await api.send(.DELETE, "/api/v1/pools/dc1-vlan200"))
            #expect(try await api.send(.GET, "/api/v1/pools/dc1-vlan200").status == 404)
        }
    }

    @Test("update needs at least one setting")
    func updateNeedsSettings() {
        #expect(throws: (any Error).self) { try PoolUpdate.parse(["pool-a"]) }
    }
}
