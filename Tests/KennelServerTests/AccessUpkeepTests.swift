import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

/// What the bastion's file received, in order.
private actor Written {
    private(set) var texts: [String] = []
    func append(_ text: String) { texts.append(text) }
    var last: String { texts.last ?? "" }
}

@Suite("Access upkeep: grants end at their expiry, machines reach the bastion when made")
struct AccessUpkeepTests {
    @Test("a grant that expires leaves its machine (principals and keys) and the bastion at its expiry, with no other change")
    func expiry() async throws {
        let clock = TestClock()
        let written = Written()
        let write: @Sendable (String) async throws -> Void = { await written.append($0) }
        try await withAPI(clock: clock, bastionFile: write) { admin, plane in
            _ = try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1"), ("service", "db")])
            _ = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"))
            #expect(try await admin.postForm("/api/v1/users/bob/keys", [("key", TestKeys.ecdsa256)]).status == .created)
            let upkeep = plane.services.accessUpkeep
            await upkeep.expireDue()
            #expect(try await admin.postForm("/api/v1/grants", [("user", "bob"), ("machine", "db-01"), ("expires", "1h")]).status == .created)
            #expect(try await admin.postForm("/api/v1/grants", [("user", "bob"), ("service", "web"), ("expires", "3h")]).status == .created)
            await plane.services.accessSync.settle()
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            let db01: Hostname = TestSite.value("db-01")
            #expect(await fake.accessPrincipals[db01] == ["user:bob"])
            #expect(await written.last.contains("# bob"))

            clock.advance(by: 1800)
            #expect(await upkeep.expireDue() == clock.now.addingTimeInterval(1800), "the next expiry is the first grant's")
            await plane.services.accessSync.settle()
            #expect(await fake.accessPrincipals[db01] == ["user:bob"], "not yet")

            clock.advance(by: 1800)
            let next = await upkeep.expireDue()
            await plane.services.accessSync.settle()
            #expect(await fake.accessPrincipals[db01] == [])
            #expect(await fake.accessWritten[db01] == [])
            #expect(!(await written.last.contains("# bob")), "bob reaches nothing now")
            #expect(next == clock.now.addingTimeInterval(7200), "the service grant is next")
        }
    }

    @Test("a machine created or deleted reaches the bastion's file as soon as its event is published")
    func followsMachines() async throws {
        let written = Written()
        let write: @Sendable (String) async throws -> Void = { await written.append($0) }
        try await withAPI(bastionFile: write) { admin, plane in
            _ = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"), teams: ["web"])
            #expect(try await admin.postForm("/api/v1/users/bob/keys", [("key", TestKeys.ecdsa256)]).status == .created)
            await plane.services.accessSync.settle()
            let upkeep = Task { await plane.services.accessUpkeep.run() }
            defer { upkeep.cancel() }
            #expect(try await eventually { await plane.services.events.log.readers == 1 }, "it follows the event log")
            #expect(!(await written.last.contains("# bob")), "no machine of bob's yet")
            let created = try json(try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")]))
            let ip = try #require(created["ip"] as? String)
            #expect(try await eventually { await written.last.contains(#"permitopen="\#(ip):22""#) })
            #expect(try await admin.executeRequest(uri: "/api/v1/machines/web-01", method: .delete, headers: [:], body: nil).status.code < 300)
            #expect(try await eventually { !(await written.last.contains("# bob")) })
        }
    }

    /// Polls `condition` for up to ten seconds.
    private func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
