import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Testing

@Suite("Auth: tokens, roles and teams")
struct AccessAPITests {
    @Test("no token, a malformed one, an unknown one: 401 in the envelope with WWW-Authenticate; /healthz stays open")
    func unauthenticated() async throws {
        try await withAPI { client, _ in
            for token in [nil, "nonsense", "kennel_" + String(repeating: "A", count: 43)] as [String?] {
                let response = try await client.with(token: token).get("/api/v1/machines")
                #expect(response.status == .unauthorized)
                #expect(try errorBody(response).code == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="kennel""#)
            }
            #expect(try await client.with(token: nil).get("/healthz").status == .ok)
        }
    }

    @Test("the database holds only SHA-256 hashes; revoked and expired tokens are refused")
    func tokenStorage() async throws {
        let clock = TestClock()
        let plane = try await TestControlPlane.make(clock: clock)
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { raw in
            let admin = try await plane.authorized(raw)
            let made = try json(try await admin.postForm("/api/v1/tokens", [("name", "ci"), ("expires", "1h")]))
            let secret = try #require(made["secret"] as? String)
            #expect(secret.hasPrefix("kennel_") && secret.count == 50)
            let stored = try await plane.store.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM api_token") }
            #expect(!stored.isEmpty && !stored.contains(secret) && stored.allSatisfy { $0.count == 64 })
            let dump = try await plane.store.read { db in try String.fetchAll(db, sql: "SELECT quote(sha256) || name || user FROM api_token") }
            #expect(!dump.joined().contains(secret.dropFirst(7)))
            let ci = admin.with(token: secret)
            #expect(try await ci.get("/api/v1/whoami").status == .ok)
            clock.advance(by: 3601)
            #expect(try await ci.get("/api/v1/whoami").status == .unauthorized)

            let second = try json(try await admin.postForm("/api/v1/tokens", [("name", "ci2")]))
            let id = try #require(second["id"] as? Int)
            let other = admin.with(token: try #require(second["secret"] as? String))
            #expect(try await other.get("/api/v1/whoami").status == .ok)
            #expect(try await admin.executeRequest(uri: "/api/v1/tokens/\(id)", method: .delete, headers: [:], body: nil).status == .ok)
            let refused = try await other.get("/api/v1/whoami")
            #expect(refused.status == .unauthorized)
            #expect(try errorBody(refused).message?.contains("revoked") == true)
            let listed = String(buffer: try await admin.get("/api/v1/tokens?all=1").body)
            #expect(!listed.contains("kennel_"))
        }
    }

    /// Who may do what: each role against each endpoint family, on their own team's
    /// machine and on another team's.
    @Test(
        "the role matrix",
        arguments: [
            // role, method, path, own team?, expected status
            ("viewer", "GET", "/api/v1/machines/web-own", 200), ("viewer", "GET", "/api/v1/machines/web-other", 403),
            ("viewer", "POST", "/api/v1/machines/web-own/stop", 403), ("viewer", "DELETE", "/api/v1/machines/web-own", 403),
            ("viewer", "POST", "/api/v1/machines", 403), ("viewer", "GET", "/api/v1/pools", 200),
            ("viewer", "POST", "/api/v1/pools", 403), ("viewer", "PATCH", "/api/v1/hosts/z1-r1-h1", 403),
            ("viewer", "POST", "/api/v1/users", 403), ("viewer", "POST", "/api/v1/teams", 403), ("viewer", "POST", "/api/v1/idcs", 403),
            ("operator", "GET", "/api/v1/machines/web-own", 200), ("operator", "GET", "/api/v1/machines/web-other", 403),
            ("operator", "POST", "/api/v1/machines/web-own/stop", 200), ("operator", "POST", "/api/v1/machines/web-other/stop", 403),
            ("operator", "DELETE", "/api/v1/machines/web-other", 403), ("operator", "POST", "/api/v1/machines", 201),
            ("operator", "POST", "/api/v1/pools", 403), ("operator", "PATCH", "/api/v1/hosts/z1-r1-h1", 403),
            ("operator", "DELETE", "/api/v1/hosts/z1-r1-h1", 403), ("operator", "POST", "/api/v1/users", 403),
            ("operator", "GET", "/api/v1/hosts", 200), ("operator", "GET", "/api/v1/audit", 200),
            ("admin", "GET", "/api/v1/machines/web-other", 200), ("admin", "POST", "/api/v1/machines/web-other/stop", 200),
            ("admin", "DELETE", "/api/v1/machines/web-other", 204), ("admin", "POST", "/api/v1/machines", 201),
            ("admin", "POST", "/api/v1/pools", 201), ("admin", "PATCH", "/api/v1/hosts/z1-r1-h1", 200), ("admin", "POST", "/api/v1/users", 201),
            ("admin", "POST", "/api/v1/teams", 201), ("admin", "POST", "/api/v1/idcs", 201),
            ("operator", "POST", "/api/v1/images/prune", 403), ("admin", "POST", "/api/v1/images/prune", 200),
        ])
    func roleMatrix(role: String, method: String, path: String, expected: Int) async throws {
        try await withAPI { admin, plane in
            _ = try await plane.services.access.createTeam(named: try Hostname(parsing: "web"), by: .system)
            _ = try await plane.services.access.createTeam(named: try Hostname(parsing: "db"), by: .system)
            for (name, team) in [("web-own", "web"), ("web-other", "db")] {
                #expect(try await admin.postForm("/api/v1/machines", [("name", name), ("idc", "dc1"), ("team", team)]).status == .created)
            }
            let client = admin.with(token: try await plane.token(forNew: "someone", role: try Role(parsing: role), teams: ["web"]))
            let bodies: [String: String] = [
                "/api/v1/machines": "name=new-one&idc=dc1&team=web",
                "/api/v1/pools": "name=p2&cidr=10.9.0.0/24&gateway=10.9.0.1&vlan=100&idc=dc1",
                "/api/v1/hosts/z1-r1-h1": "state=draining", "/api/v1/users": "name=bob&role=viewer", "/api/v1/teams": "name=ops",
                "/api/v1/idcs": "name=dc9",
            ]
            let body = bodies[path]
            let response = try await client.executeRequest(
                uri: path, method: HTTPRequest.Method(rawValue: method) ?? .get,
                headers: body == nil ? [:] : [.contentType: "application/x-www-form-urlencoded"], body: body.map { ByteBuffer(string: $0) })
            #expect(Int(response.status.code) == expected, "\(role) \(method) \(path): \(String(buffer: response.body))")
            if expected == 403 { #expect(try errorBody(response).code == "forbidden") }
        }
    }

    @Test("operators and viewers list only their teams' machines; an operator's create lands in their only team")
    func listsAreScoped() async throws {
        try await withAPI { admin, plane in
            let operatorToken = try await plane.token(forNew: "alice", role: .operator, teams: ["web"])
            _ = try await plane.services.access.createTeam(named: try Hostname(parsing: "db"), by: .system)
            let alice = admin.with(token: operatorToken)
            let created = try json(try await alice.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]))
            #expect(created["team"] as? String == "web")
            #expect(try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1"), ("team", "db")]).status == .created)
            #expect(try await admin.postForm("/api/v1/machines", [("name", "nobody-01"), ("idc", "dc1")]).status == .created)
            let seen = (try json(try await alice.get("/api/v1/machines"))["machines"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(seen == ["web-01"])
            let all = (try json(try await admin.get("/api/v1/machines"))["machines"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(all == ["db-01", "nobody-01", "web-01"])
            let foreign = try await alice.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1"), ("team", "db")])
            #expect(foreign.status == .forbidden)
            #expect(try errorBody(foreign).field == "team")
            let unknown = try await admin.postForm("/api/v1/machines", [("name", "web-03"), ("idc", "dc1"), ("team", "nope")])
            #expect(unknown.status == .unprocessableContent)
            #expect(try errorBody(unknown).field == "team")
        }
    }

    @Test("the last admin cannot be removed or demoted; a team with machines cannot be deleted")
    func guards() async throws {
        try await withAPI { admin, _ in
            let demote = try await admin.executeRequest(
                uri: "/api/v1/users/admin", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "role=viewer"))
            #expect(demote.status == .conflict)
            #expect(try await admin.executeRequest(uri: "/api/v1/users/admin", method: .delete, headers: [:], body: nil).status == .conflict)
            #expect(try await admin.postForm("/api/v1/teams", [("name", "web")]).status == .created)
            #expect(try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")]).status == .created)
            #expect(try await admin.executeRequest(uri: "/api/v1/teams/web", method: .delete, headers: [:], body: nil).status == .conflict)
            let badMember = try await admin.executeRequest(uri: "/api/v1/teams/web/members/Not_A_User", method: .delete, headers: [:], body: nil)
            #expect(badMember.status == .notFound)
        }
    }

    @Test("a non-admin reading the audit of a name that is no machine is 403, never a server error")
    func auditOfOddTargets() async throws {
        try await withAPI { admin, plane in
            let viewer = admin.with(token: try await plane.token(forNew: "vera", role: .viewer, teams: ["web"]))
            let odd = try await viewer.get("/api/v1/audit?kind=machine&target=Not_A_Name")
            #expect(odd.status == .forbidden)
            let own = try json(try await viewer.get("/api/v1/audit"))
            #expect((own["entries"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
