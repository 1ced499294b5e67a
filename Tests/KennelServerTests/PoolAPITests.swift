import Foundation
import Hummingbird
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Pools API")
struct PoolAPITests {
    private static let good: [(String, String)] = [
        ("name", "dc1-vlan200"), ("cidr", "10.200.0.0/24"), ("gateway", "10.200.0.1"), ("vlan", "200"), ("idc", "dc1"),
    ]

    private static func with(_ changes: [(String, String)]) -> [(String, String)] {
        good.filter { field in !changes.contains { $0.0 == field.0 } } + changes
    }

    @Test("a pool is created with its ranges, exclusions, DNS and quarantine, and shows its usage")
    func create() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm(
                "/api/v1/pools",
                Self.with([
                    ("zones", "z1,z2"), ("ranges", "10.200.0.10-10.200.0.59"), ("exclude", "10.200.0.20,10.200.0.30-10.200.0.34"),
                    ("dns", "10.0.0.53,10.0.1.53"), ("search_domain", "dc1.example.com"), ("quarantine", "2h"),
                ]))
            #expect(response.status == .created)
            let pool = try json(response)
            #expect(pool["size"] as? Int == 44)
            #expect(pool["free"] as? Int == 44)
            #expect(pool["used"] as? Int == 0)
            #expect(pool["ranges"] as? [String] == ["10.200.0.10-10.200.0.59"])
            #expect(pool["exclude"] as? [String] == ["10.200.0.20", "10.200.0.30-10.200.0.34"])
            #expect(pool["dns"] as? [String] == ["10.0.0.53", "10.0.1.53"])
            #expect(pool["search_domain"] as? String == "dc1.example.com")
            #expect(pool["quarantine"] as? String == "2h")
            #expect(pool["zones"] as? [String] == ["z1", "z2"])
            let shown = try json(try await client.get("/api/v1/pools/dc1-vlan200"))
            #expect(shown["cidr"] as? String == "10.200.0.0/24")
        }
    }

    @Test(
        "bad pools are refused naming the field, and nothing is written",
        arguments: [
            ("cidr", [("cidr", "10.200.0/24")], 422), ("cidr", [("cidr", "0.0.0.0/0"), ("gateway", "10.0.0.1")], 422),
            ("cidr", [("cidr", "10.200.0.5/24")], 422), ("cidr", [("cidr", "10.200.0.0/31"), ("gateway", "10.200.0.1")], 422),
            ("gateway", [("gateway", "10.201.0.1")], 422), ("gateway", [("gateway", "10.200.0.0")], 422),
            ("ranges", [("ranges", "10.201.0.10-10.201.0.20")], 422), ("ranges", [("ranges", "10.200.0.20-10.200.0.10")], 422),
            ("ranges", [("ranges", "10.200.0.0-10.200.0.10")], 422), ("ranges", [("ranges", "10.200.0.10-10.200.0.20,10.200.0.15-10.200.0.30")], 422),
            ("exclude", [("exclude", "10.201.0.5")], 422), ("vlan", [("vlan", "0")], 422), ("vlan", [("vlan", "4095")], 422),
            ("idc", [("idc", "nowhere")], 422), ("zones", [("zones", "z1,z9")], 422), ("dns", [("dns", "10.0.0.53,")], 422),
            ("quarantine", [("quarantine", "soon")], 422), ("search_domain", [("search_domain", "bad_domain")], 422),
            ("cidr", [("cidr", "10.100.0.128/25"), ("gateway", "10.100.0.129")], 409), ("name", [("name", "pool-a")], 409),
        ])
    func refused(field: String, changes: [(String, String)], status: Int) async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/pools", Self.with(changes))
            #expect(Int(response.status.code) == status)
            #expect(try errorBody(response).field == field)
            let pools = try json(try await client.get("/api/v1/pools"))
            #expect(pools["count"] as? Int == 1)
        }
    }

    @Test("an overlapping pool is refused naming the pool it overlaps")
    func overlap() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/pools", Self.with([("cidr", "10.100.0.0/16"), ("gateway", "10.100.255.254")]))
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("pool-a (10.100.0.0/24)") == true)
        }
    }

    @Test("updates change ranges, exclusions and quarantine; network fields cannot change")
    func update() async throws {
        try await withAPI { client, _ in
            let patched = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "exclude=10.100.0.2-10.100.0.9&quarantine=0")
            )
            #expect(patched.status == .ok)
            #expect(try json(patched)["size"] as? Int == 245)
            #expect(try json(patched)["quarantine"] as? String == "0s")
            let created = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]))
            #expect(created["ip"] as? String == "10.100.0.10")
            let cidr = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "cidr=10.9.0.0/24")
            )
            #expect(cidr.status == .unprocessableContent)
            #expect(try errorBody(cidr).field == "cidr")
        }
    }

    @Test(
        "a bad update is refused naming the field and changes nothing",
        arguments: [
            ("ranges", "ranges=10.100.0.50-10.100.0.40"), ("exclude", "exclude=10.9.9.9"), ("quarantine", "quarantine=later"),
            ("zones", "zones=z9"), ("vlan", "vlan=300"), ("colour", "colour=red"),
        ])
    func badUpdate(field: String, body: String) async throws {
        try await withAPI { client, _ in
            let before = String(buffer: try await client.get("/api/v1/pools/pool-a").body)
            let response = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == field)
            #expect(String(buffer: try await client.get("/api/v1/pools/pool-a").body) == before)
        }
    }

    @Test("a JSON create takes lists as arrays")
    func jsonLists() async throws {
        try await withAPI { client, _ in
            let response = try await client.postJSON(
                "/api/v1/pools",
                #"""
                {"name":"dc1-vlan300","cidr":"10.30.0.0/24","gateway":"10.30.0.1","vlan":300,"idc":"dc1",
                 "zones":["z1"],"exclude":["10.30.0.2","10.30.0.10-10.30.0.19"],"dns":["10.30.0.53"],"quarantine":"0"}
                """#)
            #expect(response.status == .created)
            #expect(try json(response)["size"] as? Int == 242)
            #expect(try json(response)["zones"] as? [String] == ["z1"])
        }
    }

    @Test("an update that would strand a leased address is refused")
    func updateStrandingLeases() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            let response = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "exclude=10.100.0.2")
            )
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("10.100.0.2 (web-01)") == true)
        }
    }

    @Test("a pool with machines cannot be deleted; one with quarantined leases only with force=1, and they go with it")
    func delete() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            let refused = try await client.executeRequest(uri: "/api/v1/pools/pool-a", method: .delete, headers: [:], body: nil)
            #expect(refused.status == .conflict)
            #expect(try errorBody(refused).message?.contains("web-01") == true)
            _ = try await client.executeRequest(uri: "/api/v1/machines/web-01", method: .delete, headers: [:], body: nil)
            let leases = try json(try await client.get("/api/v1/pools/pool-a/leases"))
            #expect((leases["leases"] as? [[String: Any]])?.first?["state"] as? String == "quarantined")
            let resting = try await client.executeRequest(uri: "/api/v1/pools/pool-a", method: .delete, headers: [:], body: nil)
            #expect(resting.status == .conflict)
            #expect(try errorBody(resting).field == "force")
            #expect(try errorBody(resting).message?.contains("10.100.0.2 (web-01)") == true)
            #expect(try await client.get("/api/v1/pools/pool-a").status == .ok)
            let badFlag = try await client.executeRequest(uri: "/api/v1/pools/pool-a?force=maybe", method: .delete, headers: [:], body: nil)
            #expect(badFlag.status == .unprocessableContent)
            #expect(try errorBody(badFlag).field == "force")
            let deleted = try await client.executeRequest(uri: "/api/v1/pools/pool-a?force=1", method: .delete, headers: [:], body: nil)
            #expect(deleted.status == .noContent)
            #expect(try await client.get("/api/v1/pools/pool-a").status == .notFound)
        }
    }

    @Test("a zone change that would strand a machine is 409 naming it; a pool no host reaches is created with a warning")
    func zonesAndWarnings() async throws {
        try await withAPI { client, _ in
            let web = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("zone", "z2")]))
            #expect(web["zone"] as? String == "z2")
            let refused = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "zones=z1"))
            #expect(refused.status == .conflict)
            #expect(try errorBody(refused).field == "zones")
            #expect(try errorBody(refused).message?.contains("web-01 (zone z2)") == true)
            #expect(try json(try await client.get("/api/v1/pools/pool-a"))["zones"] as? [String] == [])
            let widened = try await client.executeRequest(
                uri: "/api/v1/pools/pool-a", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "zones=z1,z2"))
            #expect(widened.status == .ok)

            let unreachable = try await client.postForm(
                "/api/v1/pools",
                [
                    ("name", "dc1-vlan300"), ("cidr", "10.30.0.0/24"), ("gateway", "10.30.0.1"), ("vlan", "300"), ("idc", "dc1"),
                ])
            #expect(unreachable.status == .created)
            #expect((try json(unreachable)["warnings"] as? [String])?.first?.contains("no host in dc1 trunks VLAN 300") == true)
            let reachable = try await client.postForm(
                "/api/v1/pools",
                [
                    ("name", "dc1-vlan100b"), ("cidr", "10.31.0.0/24"), ("gateway", "10.31.0.1"), ("vlan", "100"), ("idc", "dc1"),
                ])
            #expect(try json(reachable)["warnings"] == nil)
            let explain = try json(try await client.get("/api/v1/placement/explain?idc=dc1&pool=dc1-vlan300"))
            #expect(String(describing: explain).contains("300"))
        }
    }

    @Test("leases list every address with its machine and state; usage counts them")
    func leases() async throws {
        try await withAPI { client, _ in
            for name in ["a", "b", "c"] { _ = try await client.postForm("/api/v1/machines", [("name", name), ("idc", "dc1")]) }
            _ = try await client.executeRequest(uri: "/api/v1/machines/b", method: .delete, headers: [:], body: nil)
            let body = try json(try await client.get("/api/v1/pools/pool-a/leases"))
            let leases = try #require(body["leases"] as? [[String: Any]])
            #expect(leases.map { $0["address"] as? String } == ["10.100.0.2", "10.100.0.3", "10.100.0.4"])
            #expect(leases.map { $0["machine"] as? String } == ["a", "b", "c"])
            #expect(leases.map { $0["state"] as? String } == ["active", "quarantined", "active"])
            #expect(leases[1]["quarantined_until"] != nil)
            let pool = try json(try await client.get("/api/v1/pools/pool-a"))
            #expect(pool["used"] as? Int == 2)
            #expect(pool["quarantined"] as? Int == 1)
            #expect(pool["free"] as? Int == 250)
            #expect(pool["size"] as? Int == 253)
        }
    }
}
