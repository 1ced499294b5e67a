import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Testing

@Suite("Audit log")
struct AuditAPITests {
    private func patch(_ client: AuthorizedTestClient, _ uri: String, _ body: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: uri, method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    private func delete(_ client: AuthorizedTestClient, _ uri: String) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .delete, headers: [:], body: nil)
    }

    @Test("every mutating endpoint writes one entry with who, what, before and after; no token or key appears")
    func everyChange() async throws {
        try await withAPI { client, plane in
            let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example"
            let steps: [(String, () async throws -> TestResponse)] = [
                ("idc.create", { try await client.postForm("/api/v1/idcs", [("name", "dc2")]) }),
                ("zone.create", { try await client.postForm("/api/v1/zones", [("idc", "dc2"), ("name", "z1")]) }),
                ("rack.create", { try await client.postForm("/api/v1/racks", [("idc", "dc2"), ("zone", "z1"), ("name", "r1")]) }),
                (
                    "host.create",
                    {
                        try await client.postForm(
                            "/api/v1/hosts",
                            [
                                ("name", "h9"), ("uri", "lxc:///system"), ("idc", "dc2"), ("zone", "z1"), ("rack", "r1"), ("cpus", "8"),
                                ("memory", "16G"), ("disk", "100G"),
                            ])
                    }
                ),
                ("host.update", { try await patch(client, "/api/v1/hosts/h9", "state=draining") }),
                ("host.delete", { try await delete(client, "/api/v1/hosts/h9") }),
                (
                    "pool.create",
                    {
                        try await client.postForm(
                            "/api/v1/pools", [("name", "p9"), ("cidr", "10.9.0.0/24"), ("gateway", "10.9.0.1"), ("vlan", "100"), ("idc", "dc1")])
                    }
                ),
                ("pool.update", { try await patch(client, "/api/v1/pools/p9", "quarantine=1h") }),
                ("pool.delete", { try await delete(client, "/api/v1/pools/p9") }),
                ("team.create", { try await client.postForm("/api/v1/teams", [("name", "web")]) }),
                ("user.create", { try await client.postForm("/api/v1/users", [("name", "alice"), ("role", "operator")]) }),
                ("team.members", { try await client.postForm("/api/v1/teams/web/members", [("user", "alice")]) }),
                ("user.update", { try await patch(client, "/api/v1/users/alice", "role=viewer") }),
                ("token.create", { try await client.postForm("/api/v1/tokens", [("name", "ci"), ("user", "alice")]) }),
                (
                    "machine.create",
                    { try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web"), ("ssh_key", key)]) }
                ),
                ("machine.stop", { try await client.postForm("/api/v1/machines/web-01/stop", []) }),
                ("machine.start", { try await client.postForm("/api/v1/machines/web-01/start", []) }),
                ("machine.restart", { try await client.postForm("/api/v1/machines/web-01/restart", []) }),
                ("machine.delete", { try await delete(client, "/api/v1/machines/web-01") }),
                ("user.delete", { try await delete(client, "/api/v1/users/alice") }),
                ("team.delete", { try await delete(client, "/api/v1/teams/web") }),
            ]
            var secret = ""
            for (action, step) in steps {
                let before = try await plane.services.audit.entries(AuditQuery()).count
                let response = try await step()
                #expect((200..<300).contains(response.status.code), "\(action): \(String(buffer: response.body))")
                if action == "token.create" { secret = try json(response)["secret"] as? String ?? "" }
                let entries = try await plane.services.audit.entries(AuditQuery())
                #expect(entries.count == before + 1, "\(action)")
                #expect(entries.last?.action == action)
                #expect(entries.last?.user == "admin")
            }
            let machine = try #require(try await plane.services.audit.entries(AuditQuery(targetKind: "machine", target: "web-01")).first)
            #expect(machine.before == nil && machine.after?.contains("\"team\":\"web\"") == true && machine.operation != nil)
            let update = try #require(try await plane.services.audit.entries(AuditQuery(targetKind: "pool")).first { $0.action == "pool.update" })
            #expect(update.before?.contains("\"quarantine\":\"1d\"") == true || update.before?.contains("86400") == true)
            #expect(update.after != update.before)
            let everything = String(buffer: try await client.get("/api/v1/audit?limit=1000").body)
            #expect(!secret.isEmpty && !everything.contains(secret.dropFirst(7)))
            #expect(!everything.contains("AAAAC3NzaC1lZDI1NTE5"))
            let forMachine = try json(try await client.get("/api/v1/audit?machine=web-01"))
            #expect(
                (forMachine["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == [
                    "machine.create", "machine.stop", "machine.start", "machine.restart", "machine.delete",
                ])
        }
    }

    @Test("the audit table refuses updates and deletes")
    func appendOnly() async throws {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.access.bootstrap()
        await #expect(throws: (any Error).self) {
            try await plane.store.read { db in try db.execute(sql: "DELETE FROM audit") }
        }
        await #expect(throws: (any Error).self) {
            try await plane.store.write { db in try db.execute(sql: "UPDATE audit SET user = 'someone'") }
        }
        await #expect(throws: (any Error).self) {
            try await plane.store.write { db in try db.execute(sql: "DELETE FROM audit") }
        }
    }
}
