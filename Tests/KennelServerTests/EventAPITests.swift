import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Logging
import Testing

@Suite("Events: Server-Sent Events, filters, resume, bounded log")
struct EventAPITests {
    /// The `event:` names of an SSE body, in order.
    private func names(_ response: TestResponse) -> [String] {
        String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
    }

    private func ids(_ response: TestResponse) -> [Int] {
        String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
    }

    @Test("a create, stop and delete publish lifecycle and step events, as text/event-stream")
    func delivery() async throws {
        try await withAPI { client, _ in
            #expect(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]).status == .created)
            #expect(try await client.postForm("/api/v1/machines/web-01/stop", []).status == .ok)
            let response = try await client.get("/api/v1/events?follow=0")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let names = names(response)
            #expect(names.first == "machine.created")
            for expected in ["operation.running", "operation.step", "operation.succeeded", "machine.started", "machine.stopped"] {
                #expect(names.contains(expected), "\(expected)")
            }
            #expect(names.last == "operation.succeeded")
            let steps = names.filter { $0 == "operation.step" }.count
            #expect(steps == 10)
            let body = String(buffer: response.body)
            #expect(body.contains(#""step":"wait for sshd""#))
            #expect(body.contains(#""machine":"web-01""#))
            #expect(ids(response) == ids(response).sorted())
        }
    }

    @Test("filters by type (names and prefixes) and machine; Last-Event-ID resumes after the given event")
    func filtersAndResume() async throws {
        try await withAPI { client, _ in
            for name in ["web-01", "web-02"] {
                #expect(try await client.postForm("/api/v1/machines", [("name", name), ("idc", "dc1")]).status == .created)
            }
            let machineEvents = names(try await client.get("/api/v1/events?follow=0&type=machine."))
            #expect(machineEvents == ["machine.created", "machine.started", "machine.created", "machine.started"])
            let exact = names(try await client.get("/api/v1/events?follow=0&type=machine.created,operation.succeeded&machine=web-02"))
            #expect(exact == ["machine.created", "operation.succeeded"])
            let all = try await client.get("/api/v1/events?follow=0")
            let middle = ids(all)[ids(all).count / 2]
            let resumed = try await client.executeRequest(
                uri: "/api/v1/events?follow=0", method: .get, headers: [.init("Last-Event-ID")!: "\(middle)"], body: nil)
            #expect(ids(resumed) == ids(all).filter { $0 > middle })
            #expect(try await client.get("/api/v1/events?follow=0&last_event_id=abc").status == .unprocessableContent)
        }
    }

    @Test("viewers and operators see only their teams' events")
    func scoped() async throws {
        try await withAPI { admin, plane in
            let viewer = admin.with(token: try await plane.token(forNew: "vera", role: .viewer, teams: ["web"]))
            _ = try await plane.services.access.createTeam(named: try Hostname(parsing: "db"), by: .system)
            #expect(try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")]).status == .created)
            #expect(try await admin.postForm("/api/v1/machines", [("name", "db-01"), ("idc", "dc1"), ("team", "db")]).status == .created)
            let body = String(buffer: try await viewer.get("/api/v1/events?follow=0").body)
            #expect(body.contains("web-01"))
            #expect(!body.contains("db-01"))
            #expect(try await admin.with(token: nil).get("/api/v1/events?follow=0").status == .unauthorized)
        }
    }

    @Test("the log is bounded: a reader resuming before the oldest event kept is told events were dropped; publishing never waits")
    func bounded() async throws {
        let plane = try await TestControlPlane.make()
        let log = EventLog(store: plane.store, capacity: 4, logger: .silent)
        let service = EventService(store: plane.store, log: log)
        let (subscription, _) = await log.subscribe()  // a reader that never reads
        for n in 1...20 { await log.publish("machine.test", machine: nil, team: nil, data: ["n": "\(n)"]) }
        let (events, gap) = try await service.events(after: 0, matching: EventFilter())
        #expect(gap)
        #expect(events.count <= 5)
        #expect(events.last?.data.contains(#""n":"20""#) == true)
        let recent = try await service.events(after: events[0].id - 1, matching: EventFilter())
        #expect(!recent.gap)
        await log.unsubscribe(subscription)
        #expect(await log.readers == 0)
    }
}
