import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("SSH keys: users register keys; their teams' running machines accept them within seconds")
struct SSHKeyAPITests {
    private let web01: Hostname = TestSite.value("web-01")

    /// Alice (operator of team web) and her token; web-01 of team web, running.
    private func aliceAndMachine(_ admin: AuthorizedTestClient, _ plane: TestControlPlane) async throws -> AuthorizedTestClient {
        let alice = admin.with(token: try await plane.token(forNew: "alice", role: try Role(parsing: "operator"), teams: ["web"]))
        #expect(try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")]).status == .created)
        return alice
    }

    private func keysInside(_ plane: TestControlPlane) async throws -> [String] {
        await plane.services.accessSync.settle()
        let fake = try #require(plane.runtime as? FakeHostRuntime)
        return await fake.accessWritten[web01]?.map(\.description) ?? []
    }

    private func remove(_ client: AuthorizedTestClient, _ user: String, _ fingerprint: String) async throws -> TestResponse {
        let query = fingerprint.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? fingerprint
        return try await client.executeRequest(uri: "/api/v1/users/\(user)/keys?fingerprint=\(query)", method: .delete, headers: [:], body: nil)
    }

    @Test("a registered key shows its SHA256 fingerprint as ssh-keygen -l does, reaches the running machine, and goes when removed")
    func addListRemove() async throws {
        try await withAPI { admin, plane in
            let alice = try await aliceAndMachine(admin, plane)
            let added = try await alice.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ed25519)])
            #expect(added.status == .created)
            let key = try json(added)
            #expect(key["fingerprint"] as? String == TestKeys.ed25519Fingerprint)
            #expect(key["type"] as? String == "ssh-ed25519" && key["bits"] as? Int == 256 && key["comment"] as? String == "alice@laptop")
            #expect(try await keysInside(plane) == [TestKeys.ed25519], "pushed into running web-01 without a restart")

            let listed = try json(try await alice.get("/api/v1/users/alice/keys"))
            #expect(listed["count"] as? Int == 1)
            #expect(try await remove(alice, "alice", TestKeys.ed25519Fingerprint).status == .noContent)
            #expect(try await keysInside(plane) == [], "a removed key stops opening the machine")
            #expect(try await remove(alice, "alice", TestKeys.ed25519Fingerprint).status == .notFound)

            let audit = String(buffer: try await admin.get("/api/v1/audit").body)
            #expect(audit.contains("user.key-add") && audit.contains("user.key-remove"))
        }
    }

    @Test(
        "bad keys are 422 naming key, and nothing is registered",
        arguments: [
            TestKeys.rsa2048, #"command="/bin/sh" "# + TestKeys.ed25519, TestKeys.ed25519 + "\r\n" + TestKeys.rsa3072, "ssh-ed25519 !!!notbase64!!!",
            TestKeys.ed25519 + String(repeating: "c", count: 10_000),
        ])
    func refusals(line: String) async throws {
        try await withAPI { admin, plane in
            let alice = try await aliceAndMachine(admin, plane)
            let response = try await alice.postForm("/api/v1/users/alice/keys", [("key", line)])
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == "key")
            #expect(try json(try await alice.get("/api/v1/users/alice/keys"))["count"] as? Int == 0)
        }
    }

    @Test("a key registered already is 409, for its owner and for anyone else")
    func duplicates() async throws {
        try await withAPI { admin, plane in
            let alice = try await aliceAndMachine(admin, plane)
            #expect(try await alice.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ecdsa256)]).status == .created)
            #expect(try await alice.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ecdsa256)]).status == .conflict)
            _ = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"))
            let response = try await admin.postJSON("/api/v1/users/bob/keys", #"{"key": "\#(TestKeys.ecdsa256)"}"#)
            #expect(response.status == .conflict)
            #expect(try errorBody(response).field == "key")
        }
    }

    @Test("only the user or an admin may see or change a user's keys")
    func access() async throws {
        try await withAPI { admin, plane in
            _ = try await aliceAndMachine(admin, plane)
            let bob = admin.with(token: try await plane.token(forNew: "bob", role: try Role(parsing: "operator"), teams: ["web"]))
            #expect(try await bob.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ed25519)]).status == .forbidden)
            #expect(try await bob.get("/api/v1/users/alice/keys").status == .forbidden)
            #expect(try await admin.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ed25519)]).status == .created)
            #expect(try await remove(bob, "alice", TestKeys.ed25519Fingerprint).status == .forbidden)
            #expect(try await admin.postForm("/api/v1/users/nobody/keys", [("key", TestKeys.rsa3072)]).status == .notFound)
        }
    }

    @Test("membership opens and closes a team's machines: a member's keys go in when they join and out when they leave or are removed")
    func membership() async throws {
        try await withAPI { admin, plane in
            let alice = try await aliceAndMachine(admin, plane)
            _ = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"))
            #expect(try await admin.postForm("/api/v1/users/bob/keys", [("key", TestKeys.otherEd25519)]).status == .created)
            #expect(try await alice.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ed25519)]).status == .created)
            #expect(try await keysInside(plane) == [TestKeys.ed25519])
            #expect(try await admin.postForm("/api/v1/teams/web/members", [("user", "bob")]).status == .ok)
            #expect(try await keysInside(plane) == [TestKeys.ed25519, TestKeys.otherEd25519])
            let left = try await admin.executeRequest(uri: "/api/v1/teams/web/members/bob", method: .delete, headers: [:], body: nil)
            #expect(left.status == .ok)
            #expect(try await keysInside(plane) == [TestKeys.ed25519])
            #expect(try await admin.executeRequest(uri: "/api/v1/users/alice", method: .delete, headers: [:], body: nil).status == .noContent)
            #expect(try await keysInside(plane) == [], "a removed user's keys go with them")
        }
    }

    @Test("a start lets in the request's keys and the team members' (a stopped machine gets them then)")
    func atStart() async throws {
        try await withAPI { admin, plane in
            let alice = try await aliceAndMachine(admin, plane)
            _ = try await admin.postForm("/api/v1/machines/web-01/stop", [])
            #expect(try await alice.postForm("/api/v1/users/alice/keys", [("key", TestKeys.ed25519)]).status == .created)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await plane.services.accessSync.settle()
            #expect(await fake.accessWritten[web01] == nil, "nothing is pushed into a stopped machine")
            _ = try await admin.postForm("/api/v1/machines/web-01/start", [])
            #expect(await fake.launches[web01]?.authorizedKeys.map(\.description) == [TestKeys.ed25519])
        }
    }
}

@Suite("Known hosts: machines' host keys published, pinned before the first login, gone with the machine")
struct KnownHostsAPITests {
    @Test("each machine's host keys as NAME,IP lines, for the machines the caller may see; a deleted machine's are gone")
    func knownHosts() async throws {
        try await withAPI { admin, plane in
            _ = try await plane.services.access.createTeam(named: TestSite.value("web"), by: .system)
            let created = try json(try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")]))
            _ = try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1")])
            let machine = try await plane.services.machines.machine(named: TestSite.value("web-01"))
            let key = try FakeHostRuntime.hostKey(of: machine)
            let text = String(buffer: try await admin.get("/api/v1/known_hosts").body)
            #expect(text.contains("web-01,\(try #require(created["ip"] as? String)) ssh-ed25519 \(key.body)\n"))
            #expect(text.split(separator: "\n").count == 2)

            let viewer = admin.with(token: try await plane.token(forNew: "vera", role: try Role(parsing: "viewer"), teams: ["web"]))
            let seen = String(buffer: try await viewer.get("/api/v1/known_hosts").body)
            #expect(seen.hasPrefix("web-01,") && !seen.contains("db-01"), "only the machines the caller may read")

            #expect(try await admin.executeRequest(uri: "/api/v1/machines/web-01", method: .delete, headers: [:], body: nil).status == .noContent)
            #expect(!String(buffer: try await admin.get("/api/v1/known_hosts").body).contains("web-01"))
        }
    }
}
