import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelStore
import KennelTesting
import Logging
import Testing

@Suite("Operations: 202, wait=1, long-poll, cancel, restart")
struct OperationAPITests {
    /// Runs `body` with a client that sees 202s, over a runtime the test can hold.
    private func withHeldAPI(_ body: @Sendable (AuthorizedTestClient, TestControlPlane, FakeHostRuntime) async throws -> Void) async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { raw in try await body(try await plane.authorized(raw, waitingForOperations: false), plane, runtime) }
    }

    @Test("a create answers 202 with Location and the operation, which long-polls to succeeded with timed steps")
    func accepted() async throws {
        try await withHeldAPI { client, _, _ in
            let response = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            #expect(response.status == .accepted)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/api/v1/operations/"))
            let accepted = try json(response)
            #expect(accepted["kind"] as? String == "create")
            #expect(accepted["target"] as? String == "web-01")
            #expect(accepted["requested_by"] as? String == "admin")
            #expect(["pending", "running", "succeeded"].contains(accepted["state"] as? String ?? ""))
            let done = try json(try await client.get(location + "?wait=30s"))
            #expect(done["state"] as? String == "succeeded")
            #expect(done["steps_done"] as? Int == 3 && done["steps_total"] as? Int == 3)
            let steps = try #require(done["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["prepare files", "start container", "wait for sshd"])
            #expect(steps.allSatisfy { $0["outcome"] as? String == "finished" && $0["seconds"] is Double })
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["state"] as? String == "running")
            let listed = try json(try await client.get("/api/v1/operations?machine=web-01&kind=create&state=succeeded"))
            #expect(listed["count"] as? Int == 1)
        }
    }

    @Test("wait=1 in the form, the JSON body or the query answers the end: 201 with the machine, 200, 204")
    func waiting() async throws {
        try await withHeldAPI { client, _, _ in
            let form = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("wait", "1")])
            #expect(form.status == .created)
            #expect(try json(form)["state"] as? String == "running")
            let body = try await client.postJSON("/api/v1/machines", #"{"name":"web-02","idc":"dc1","wait":"1"}"#)
            #expect(body.status == .created)
            let boolean = try await client.postJSON("/api/v1/machines", #"{"name":"web-03","idc":"dc1","wait":true}"#)
            #expect(boolean.status == .created)
            let stopped = try await client.postForm("/api/v1/machines/web-01/stop?wait=1", [])
            #expect(stopped.status == .ok)
            #expect(try json(stopped)["state"] as? String == "stopped")
            let deleted = try await client.executeRequest(uri: "/api/v1/machines/web-01?wait=1", method: .delete, headers: [:], body: nil)
            #expect(deleted.status == .noContent)
        }
    }

    @Test("validation stays synchronous: a bad field is 422 at once and no operation is recorded")
    func validation() async throws {
        try await withHeldAPI { client, plane, _ in
            let response = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("memory", "lots")])
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == "memory")
            #expect(try await plane.rowCounts().operations == 0)
            let badWait = try await client.get("/api/v1/operations/1?wait=forever")
            #expect(badWait.status == .unprocessableContent)
        }
    }

    @Test("a failed create is a failed operation carrying the error envelope; the cause only for admins")
    func failure() async throws {
        try await withHeldAPI { client, plane, runtime in
            for host in try await plane.services.hosts.list() { await runtime.failStarts(on: host.host.name) }
            let accepted = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]))
            let id = try #require(accepted["id"] as? Int)
            let done = try json(try await client.get("/api/v1/operations/\(id)?wait=30s"))
            #expect(done["state"] as? String == "failed")
            let error = try #require(done["error"] as? [String: Any])
            #expect(error["code"] as? String == "host_failure")
            #expect(done["cause"] is String)
            let waited = try await client.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1"), ("wait", "1")])
            #expect(waited.status == .badGateway)
            #expect(try errorBody(waited).code == "host_failure")
        }
    }

    @Test("a pending operation can be cancelled and never runs; a running one cannot")
    func cancel() async throws {
        try await withHeldAPI { client, _, runtime in
            await runtime.holdStarts()
            let create = try json(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]))
            let createID = try #require(create["id"] as? Int)
            var running = try json(try await client.get("/api/v1/operations/\(createID)"))
            for _ in 0..<100 where running["state"] as? String != "running" {
                try await Task.sleep(for: .milliseconds(10))
                running = try json(try await client.get("/api/v1/operations/\(createID)"))
            }
            let stop = try json(try await client.postForm("/api/v1/machines/web-01/stop", []))
            let stopID = try #require(stop["id"] as? Int)
            #expect(stop["state"] as? String == "pending")
            let refused = try await client.executeRequest(uri: "/api/v1/operations/\(createID)", method: .delete, headers: [:], body: nil)
            #expect(refused.status == .conflict)
            let cancelled = try await client.executeRequest(uri: "/api/v1/operations/\(stopID)", method: .delete, headers: [:], body: nil)
            #expect(cancelled.status == .ok)
            #expect(try json(cancelled)["state"] as? String == "cancelled")
            await runtime.releaseStarts()
            #expect(try json(try await client.get("/api/v1/operations/\(createID)?wait=30s"))["state"] as? String == "succeeded")
            try await Task.sleep(for: .milliseconds(100))
            #expect(try json(try await client.get("/api/v1/operations/\(stopID)"))["state"] as? String == "cancelled")
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["state"] as? String == "running")
        }
    }

    @Test("operations left running by a crash are failed 'interrupted by restart' at start-up")
    func interrupted() async throws {
        let store = try SQLiteMachineStore.inMemory()
        let plane = try await TestControlPlane.make(store: store)
        let id = try await store.transaction { store in
            try store.beginOperation(
                .start, machine: try Hostname(parsing: "web-01"), team: nil, requestedBy: "admin", state: .running, at: Date())
        }
        let interrupted = try await plane.services.operations.interruptUnfinished()
        #expect(interrupted.map(\.id) == [id])
        let operation = try await plane.services.operations.operation(id: id)
        #expect(operation.state == .failed)
        #expect(operation.failure?.message == "interrupted by restart")
    }
}
