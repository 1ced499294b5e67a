import Foundation
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Hosts and pools API")
struct InventoryAPITests {
    @Test("hosts list their place, capacity and VLANs")
    func hosts() async throws {
        try await withAPI { client, _ in
            let body = try json(try await client.get("/api/v1/hosts"))
            #expect(body["count"] as? Int == 12)
            let first = try #require((body["hosts"] as? [[String: Any]])?.first)
            #expect(first["name"] as? String == "z1-r1-h1")
            #expect(first["rack"] as? String == "r1")
            #expect(first["cpus"] as? Int == 8)
            #expect(first["memory"] as? String == "32G")
            #expect(first["vlans"] as? [Int] == [100])
            #expect(first["state"] as? String == "active")
            #expect(first["cpu_overcommit"] as? Double == 4.0)
            #expect(first["machines"] as? Int == 0)
        }
    }

    @Test("pools list their network")
    func pools() async throws {
        try await withAPI { client, _ in
            let body = try json(try await client.get("/api/v1/pools"))
            let pool = try #require((body["pools"] as? [[String: Any]])?.first)
            #expect(pool["name"] as? String == "pool-a")
            #expect(pool["cidr"] as? String == "10.100.0.0/24")
            #expect(pool["gateway"] as? String == "10.100.0.1")
            #expect(pool["vlan"] as? Int == 100)
        }
    }

    @Test("unknown endpoints answer the JSON error envelope")
    func unknownEndpoint() async throws {
        try await withAPI { client, _ in
            let response = try await client.get("/api/v1/nothing")
            #expect(response.status == .notFound)
            #expect(try errorBody(response).code == "not_found")
        }
    }
}
