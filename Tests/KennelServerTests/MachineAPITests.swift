import Foundation
import Hummingbird
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Machines API")
struct MachineAPITests {
    private let web01 = [("name", "web-01"), ("idc", "dc1"), ("cpus", "2"), ("memory", "4G"), ("disk", "20G"), ("service", "web")]

    @Test("a form create answers 201 with the placed, addressed machine")
    func formCreate() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/machines", web01)
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/api/v1/machines/web-01")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let machine = try json(response)
            #expect(machine["ip"] as? String == "10.100.0.2")
            #expect(machine["host"] as? String == "z1-r1-h1")
            #expect(machine["rack"] as? String == "r1")
            #expect(machine["zone"] as? String == "z1")
            #expect(machine["idc"] as? String == "dc1")
            #expect(machine["prefix"] as? Int == 24)
            #expect(machine["gateway"] as? String == "10.100.0.1")
            #expect(machine["vlan"] as? Int == 100)
            #expect(machine["mac"] as? String == "52:54:0a:64:00:02")
            #expect(machine["state"] as? String == "running")
            #expect(machine["memory"] as? String == "4G")
            #expect(machine["disk"] as? String == "20G")
            #expect(machine["cpus"] as? Int == 2)
            #expect(machine["service"] as? String == "web")
        }
    }

    @Test("a JSON create takes numbers and strings alike")
    func jsonCreate() async throws {
        try await withAPI { client, _ in
            let response = try await client.postJSON("/api/v1/machines", #"{"name":"db-1","idc":"dc1","cpus":2,"memory":"8G","zone":"z2"}"#)
            #expect(response.status == .created)
            let machine = try json(response)
            #expect(machine["zone"] as? String == "z2")
            #expect(machine["cpus"] as? Int == 2)
        }
    }

    @Test("the same name again is 409 name_taken")
    func nameTaken() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            let response = try await client.postForm("/api/v1/machines", web01)
            #expect(response.status == .conflict)
            #expect(try errorBody(response).code == "name_taken")
            #expect(try errorBody(response).field == "name")
        }
    }

    @Test(
        "bad fields are 422 naming the field, and nothing is written",
        arguments: [
            ("name", [("name", "Web_01"), ("idc", "dc1")], "invalid_field"),
            ("memory", [("name", "web-02"), ("idc", "dc1"), ("memory", "lots")], "invalid_field"),
            ("idc", [("name", "web-03"), ("idc", "nowhere")], "unknown_reference"),
            ("zone", [("name", "web-04"), ("idc", "dc1"), ("zone", "z9")], "unknown_reference"),
            ("idc", [("name", "web-05")], "missing_field"),
            ("colour", [("name", "web-06"), ("idc", "dc1"), ("colour", "blue")], "unknown_field"),
            ("ip", [("name", "web-07"), ("idc", "dc1"), ("ip", "10.100.0.255")], "invalid_field"),
        ])
    func badFields(field: String, form: [(String, String)], code: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.postForm("/api/v1/machines", form)
            #expect(response.status == .unprocessableContent)
            let error = try errorBody(response)
            #expect(error.field == field)
            #expect(error.code == code)
            #expect(error.message?.isEmpty == false)
            let counts = try await plane.rowCounts()
            #expect(counts.machines == 0 && counts.leases == 0 && counts.operations == 0)
        }
    }

    @Test("a body that is neither form nor JSON object is 400")
    func malformedBodies() async throws {
        try await withAPI { client, _ in
            let notJSON = try await client.postJSON("/api/v1/machines", "[1,2]")
            #expect(notJSON.status == .badRequest)
            #expect(try errorBody(notJSON).code == "bad_request")
            let nested = try await client.postJSON("/api/v1/machines", #"{"name":{"a":1},"idc":"dc1"}"#)
            #expect(nested.status == .unprocessableContent)
            #expect(try errorBody(nested).field == "name")
            let xml = try await client.executeRequest(
                uri: "/api/v1/machines", method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: "<a/>"))
            #expect(xml.status == .badRequest)
        }
    }

    @Test("show, list and delete")
    func showListDelete() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            let shown = try await client.get("/api/v1/machines/web-01")
            #expect(shown.status == .ok)
            #expect(try json(shown)["ip"] as? String == "10.100.0.2")
            let list = try json(try await client.get("/api/v1/machines"))
            #expect(list["count"] as? Int == 1)
            #expect((list["machines"] as? [[String: Any]])?.first?["name"] as? String == "web-01")
            let deleted = try await client.executeRequest(uri: "/api/v1/machines/web-01", method: .delete, headers: [:], body: nil)
            #expect(deleted.status == .noContent)
            let gone = try await client.get("/api/v1/machines/web-01")
            #expect(gone.status == .notFound)
            #expect(try errorBody(gone).code == "not_found")
            #expect(try await client.get("/api/v1/machines/NOT_A_NAME").status == .notFound)
        }
    }

    @Test("a small pool runs out with 409 pool_exhausted")
    func poolExhausted() async throws {
        try await withAPI(site: TestSite.make(cidr: "10.100.0.0/29")) { client, plane in
            for n in 1...5 {
                #expect(try await client.postForm("/api/v1/machines", [("name", "m-\(n)"), ("idc", "dc1")]).status == .created)
            }
            let response = try await client.postForm("/api/v1/machines", [("name", "m-6"), ("idc", "dc1")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).code == "pool_exhausted")
            #expect(try await plane.rowCounts().machines == 5)
        }
    }

    @Test("no host with room is 409 no_capacity with reasons naming hosts")
    func noCapacity() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/machines", [("name", "big"), ("idc", "dc1"), ("cpus", "64")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).code == "no_capacity")
            #expect(try errorBody(response).message?.contains("host z1-r1-h1") == true)
        }
    }

    @Test("concurrent creates through HTTP against a pool with 13 addresses: exactly 13 win, each with its own IP")
    func concurrentCreates() async throws {
        try await withAPI(site: TestSite.make(cidr: "10.100.0.0/28")) { client, plane in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 1...32 {
                    group.addTask {
                        let response = try await client.postForm("/api/v1/machines", [("name", "m-\(n)"), ("idc", "dc1")])
                        return (response.status, response.status == .created ? try json(response)["ip"] as? String : try errorBody(response).code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = statuses.filter { $0.0 == .created }
            #expect(created.count == 13)
            #expect(Set(created.compactMap(\.1)).count == 13)
            #expect(statuses.filter { $0.0 == .conflict && $0.1 == "pool_exhausted" }.count == 19)
            #expect(try await plane.rowCounts().leases == 13)
        }
    }
}

@Suite("Machine lifecycle API")
struct MachineLifecycleAPITests {
    private let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtij/UoVgi14C434aZnXblEySoBr170tI861YIeoYPD alice@laptop"

    @Test("stop, start and restart answer the machine as it is afterwards")
    func lifecycle() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            for (action, state) in [("stop", "stopped"), ("start", "running"), ("restart", "running")] {
                let response = try await client.postForm("/api/v1/machines/web-01/\(action)", [])
                #expect(response.status == .ok)
                #expect(try json(response)["state"] as? String == state)
            }
            let shown = try json(try await client.get("/api/v1/machines/web-01"))
            #expect(shown["sshd"] as? String == "up")
            #expect((shown["programs"] as? [[String: Any]])?.first?["name"] as? String == "sshd")
        }
    }

    @Test("lifecycle of an unknown machine is 404; fields on a lifecycle request are refused")
    func refusals() async throws {
        try await withAPI { client, _ in
            #expect(try await client.postForm("/api/v1/machines/nope/start", []).status == .notFound)
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            let response = try await client.postForm("/api/v1/machines/web-01/stop", [("force", "yes")])
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == "force")
        }
    }

    @Test("ssh_key as a JSON array gives one key per item; in a form it repeats")
    func keys() async throws {
        try await withAPI { client, _ in
            let response = try await client.postJSON(
                "/api/v1/machines", #"{"name":"web-01","idc":"dc1","ssh_key":["\#(key)","\#(key.replacingOccurrences(of: "alice", with: "carol"))"]}"#
            )
            #expect(response.status == .created)
            #expect((try json(response)["ssh_keys"] as? [String])?.count == 2)
            let form = try await client.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1"), ("ssh_key", key), ("ssh_key", key)])
            #expect((try json(form)["ssh_keys"] as? [String])?.count == 2)
        }
    }
}
