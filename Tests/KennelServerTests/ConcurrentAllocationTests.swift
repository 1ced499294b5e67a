import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Race-free allocation through the HTTP layer")
struct ConcurrentAllocationTests {
    /// The demo topology with a pool whose ranges hold exactly 20 addresses.
    private static func twentyAddressSite() -> Site {
        var site = TestSite.make()
        site.pools[0].ranges = [TestSite.value("10.100.0.10-10.100.0.29")]
        return site
    }

    private static func create(_ client: any TestClientProtocol, _ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String?) {
        let response = try await client.postForm("/api/v1/machines", fields)
        return (response.status, response.status == .created ? try json(response)["ip"] as? String : try errorBody(response).code)
    }

    @Test(
        "64 concurrent creates against 20 free addresses: exactly 20 win with distinct IPs, 44 get pool_exhausted and leave nothing",
        arguments: 1...20)
    func sixtyFourForTwenty(round: Int) async throws {
        try await withAPI(site: Self.twentyAddressSite()) { client, plane in
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 1...64 { group.addTask { try await Self.create(client, [("name", "m-\(round)-\(n)"), ("idc", "dc1")]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let won = results.filter { $0.0 == .created }
            #expect(won.count == 20)
            #expect(Set(won.compactMap(\.1)).count == 20)
            #expect(results.filter { $0.0 == .conflict && $0.1 == "pool_exhausted" }.count == 44)
            let counts = try await plane.rowCounts()
            #expect(counts.machines == 20 && counts.leases == 20 && counts.operations == 20)
        }
    }

    @Test("16 concurrent requests for one explicit ip: one wins, 15 get ip_in_use")
    func sameExplicitAddress() async throws {
        try await withAPI { client, plane in
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 1...16 { group.addTask { try await Self.create(client, [("name", "db-\(n)"), ("idc", "dc1"), ("ip", "10.100.0.77")]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.0 == .created }.map(\.1) == ["10.100.0.77"])
            #expect(results.filter { $0.0 == .conflict && $0.1 == "ip_in_use" }.count == 15)
            #expect(try await plane.rowCounts().leases == 1)
        }
    }

    @Test("an automatic allocation racing an explicit request for the same address never yields both", arguments: 1...10)
    func automaticVersusExplicit(round: Int) async throws {
        var site = TestSite.make()
        site.pools[0].ranges = [TestSite.value("10.100.0.10-10.100.0.11")]
        try await withAPI(site: site) { client, plane in
            async let automatic = Self.create(client, [("name", "auto"), ("idc", "dc1")])
            async let explicit = Self.create(client, [("name", "pinned"), ("idc", "dc1"), ("ip", "10.100.0.10")])
            let (a, e) = try await (automatic, explicit)
            if a.0 == .created && e.0 == .created { #expect(a.1 != e.1) }
            #expect(a.0 == .created)
            #expect(e.0 == .created || e.1 == "ip_in_use")
            let leases = try await plane.services.pools.leases(named: TestSite.value("pool-a"))
            #expect(Set(leases.map(\.address)).count == leases.count)
        }
    }
}
