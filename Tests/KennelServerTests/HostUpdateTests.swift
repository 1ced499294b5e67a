import Foundation
import Hummingbird
import HummingbirdTesting
import KennelServer
import KennelTesting
import Testing

@Suite("Host updates are checked against the machines the host carries")
struct HostUpdateTests {
    private func patch(_ client: any TestClientProtocol, _ host: String, _ body: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: "/api/v1/hosts/\(host)", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    @Test(
        "changes that would strand the machine are 409 naming the field and the machine, and change nothing",
        arguments: [
            ("cpus=1", "cpus"), ("cpu_overcommit=0.5", "cpu_overcommit"), ("memory=2G", "memory"), ("memory_overcommit=0.1", "memory_overcommit"),
            ("disk=10G", "disk"), ("bandwidth=50M", "bandwidth"), ("vlans=200", "vlans"), ("vlans=", "vlans"),
        ])
    func stranding(change: String, field: String) async throws {
        try await withAPI { client, _ in
            let machine = try json(
                try await client.postForm(
                    "/api/v1/machines",
                    [
                        ("name", "web-01"), ("idc", "dc1"), ("cpus", "8"), ("memory", "4G"), ("disk", "20G"), ("ingress", "100M"),
                    ]))
            let host = try #require(machine["host"] as? String)
            let before = String(buffer: try await client.get("/api/v1/hosts/\(host)").body)
            let response = try await patch(client, host, change)
            #expect(response.status == .conflict)
            #expect(try errorBody(response).field == field)
            #expect(try errorBody(response).message?.contains("web-01") == true)
            #expect(String(buffer: try await client.get("/api/v1/hosts/\(host)").body) == before)
        }
    }

    @Test("bandwidth_overcommit is a number in JSON and a ratio in forms; the machines' limits may then add up to bandwidth × it")
    func bandwidthOvercommit() async throws {
        try await withAPI { client, _ in
            var response = try await client.executeRequest(
                uri: "/api/v1/hosts/z1-r1-h1", method: .patch, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"bandwidth": "1G", "bandwidth_overcommit": 2}"#))
            #expect(response.status == .ok)
            #expect(try json(response)["bandwidth_overcommit"] as? Double == 2)
            response = try await patch(client, "z1-r1-h1", "bandwidth_overcommit=lots")
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == "bandwidth_overcommit")
        }
    }

    @Test("force=1 is only for a host being drained, and then lets the change through")
    func forceWhileDraining() async throws {
        try await withAPI { client, _ in
            let machine = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("cpus", "8")]))
            let host = try #require(machine["host"] as? String)
            let active = try await patch(client, host, "cpus=1&force=1")
            #expect(active.status == .unprocessableContent)
            #expect(try errorBody(active).field == "force")
            let draining = try await patch(client, host, "state=draining&cpus=1&force=1")
            #expect(draining.status == .ok)
            #expect(try json(draining)["state"] as? String == "draining")
        }
    }

    @Test("changes that leave room for the machines pass")
    func roomLeft() async throws {
        try await withAPI { client, _ in
            let machine = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("cpus", "8")]))
            let host = try #require(machine["host"] as? String)
            #expect(try await patch(client, host, "cpus=2&vlans=100,200").status == .ok)
        }
    }
}

@Suite("Host facts in the API")
struct HostFactsAPITests {
    @Test("GET /hosts/{name} shows the host's facts; a host that cannot be asked shows why, and the rest of the host")
    func facts() async throws {
        let runtime = FakeHostRuntime()
        await runtime.failStarts(on: TestSite.value("z1-r1-h2"))
        let plane = try await TestControlPlane.make(runtime: runtime)
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { raw in
            let client = try await plane.authorized(raw)
            let shown = try json(try await client.get("/api/v1/hosts/z1-r1-h1"))
            let facts = try #require(shown["facts"] as? [String: Any])
            #expect(facts["kernel"] as? String == "6.1.0-fake")
            #expect(facts["ovs_datapath"] as? String == "system")
            #expect(facts["reflink"] as? Bool == true)
            #expect(facts["free"] as? String == "100G")
            let failing = try json(try await client.get("/api/v1/hosts/z1-r1-h2"))
            #expect(failing["facts"] == nil)
            #expect((failing["facts_error"] as? String)?.contains("the cause is in the service log") == true)
            #expect(failing["name"] as? String == "z1-r1-h2")
            let listed = try json(try await client.get("/api/v1/hosts"))
            #expect(((listed["hosts"] as? [[String: Any]])?.first?["facts"]) == nil, "lists do not ask every host")
        }
    }
}
