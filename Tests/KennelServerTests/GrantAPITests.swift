import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Grants: access beyond teams, into the machines and the bastion")
struct GrantAPITests {
    @Test("a grant lets its user into the machine (keys and principal, live) and the bastion; deleting it takes both back")
    func grantAndRevoke() async throws {
        try await withAPI { admin, plane in
            _ = try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1"), ("service", "db")])
            let bobToken = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"))
            #expect(try await admin.postForm("/api/v1/users/bob/keys", [("key", TestKeys.ecdsa256)]).status == .created)
            #expect(!String(buffer: try await admin.get("/api/v1/bastion/config").body).contains("# bob"), "no reach, no line")
            #expect(String(buffer: try await admin.with(token: bobToken).get("/api/v1/known_hosts").body).isEmpty)

            let created = try await admin.postForm("/api/v1/grants", [("user", "bob"), ("service", "db"), ("expires", "7d")])
            #expect(created.status == .created)
            let grant = try json(created)
            #expect(grant["user"] as? String == "bob" && grant["service"] as? String == "db" && grant["expires_at"] != nil)
            await plane.services.accessSync.settle()
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            let db01: Hostname = TestSite.value("db-01")
            #expect(await fake.accessPrincipals[db01] == ["user:bob"])
            #expect(await fake.accessWritten[db01]?.map(\.description) == [TestKeys.ecdsa256])
            let config = String(buffer: try await admin.get("/api/v1/bastion/config").body)
            let ip = try json(try await admin.get("/api/v1/machines/db-01"))["ip"] as? String ?? "?"
            #expect(config.contains(#"permitopen="\#(ip):22" \#(TestKeys.ecdsa256.split(separator: " ").prefix(2).joined(separator: " ")) bob"#))

            let bobClient = admin.with(token: bobToken)
            #expect(String(buffer: try await bobClient.get("/api/v1/known_hosts").body).hasPrefix("db-01,\(ip) "), "bob may pin db-01's keys")
            #expect(try await bobClient.get("/api/v1/machines/db-01").status == .forbidden, "a grant lets bob log in, not manage db-01")

            let id = try #require(grant["id"] as? Int)
            #expect(try await admin.executeRequest(uri: "/api/v1/grants/\(id)", method: .delete, headers: [:], body: nil).status == .noContent)
            await plane.services.accessSync.settle()
            #expect(await fake.accessPrincipals[db01] == [])
            #expect(!String(buffer: try await admin.get("/api/v1/bastion/config").body).contains("# bob"))
            #expect(String(buffer: try await bobClient.get("/api/v1/known_hosts").body).isEmpty)
            let audit = String(buffer: try await admin.get("/api/v1/audit?kind=grant").body)
            #expect(audit.contains("grant.create") && audit.contains("grant.delete"))
        }
    }

    @Test(
        "bad grants are 422 naming the field",
        arguments: [
            ([("machine", "db-01")], "user"), ([("user", "bob"), ("team", "web"), ("machine", "db-01")], "team"),
            ([("user", "bob")], "machine"), ([("user", "bob"), ("machine", "db-01"), ("service", "db")], "service"),
            ([("user", "bob"), ("machine", "db-01"), ("expires", "soon")], "expires"),
        ])
    func refusals(form: [(String, String)], field: String) async throws {
        try await withAPI { admin, _ in
            let response = try await admin.postForm("/api/v1/grants", form)
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == field)
        }
    }

    @Test("only admins grant; unknown users and machines are 404; a user sees the grants naming them")
    func rules() async throws {
        try await withAPI { admin, plane in
            _ = try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1")])
            let bob = admin.with(token: try await plane.token(forNew: "bob", role: try Role(parsing: "operator")))
            #expect(try await bob.postForm("/api/v1/grants", [("user", "bob"), ("machine", "db-01")]).status == .forbidden)
            #expect(try await admin.postForm("/api/v1/grants", [("user", "nobody"), ("machine", "db-01")]).status == .notFound)
            #expect(try await admin.postForm("/api/v1/grants", [("user", "bob"), ("machine", "db-09")]).status == .notFound)
            #expect(try await admin.postForm("/api/v1/grants", [("user", "bob"), ("machine", "db-01")]).status == .created)
            #expect(try json(try await bob.get("/api/v1/grants"))["count"] as? Int == 1, "bob sees the grant that names him")
        }
    }
}
