import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Bandwidth self-test: verify-bandwidth measures against a probe with an address borrowed from the pool")
struct BandwidthCheckAPITests {
    private let web01 = [("name", "web-01"), ("idc", "dc1"), ("zone", "z1"), ("ingress", "50M"), ("egress", "100M")]

    private func free(_ client: AuthorizedTestClient) async throws -> Int? {
        try json(try await client.get("/api/v1/pools/pool-a"))["free"] as? Int
    }

    @Test("waited, it answers each direction's limit beside what was achieved, keeps the report with the operation, gives the address back")
    func report() async throws {
        try await withAPI { client, plane in
            #expect(try await client.postForm("/api/v1/machines", web01).status == .created)
            let freeBefore = try await free(client)
            let response = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [("seconds", "3")])
            #expect(response.status == .ok)
            let report = try json(response)
            #expect(report["machine"] as? String == "web-01" && report["peer"] as? String == "10.100.0.3")
            #expect(report["vlan"] as? Int == 100 && report["seconds"] as? Int == 3)
            let egress = try #require(report["egress"] as? [String: Any])
            #expect(egress["configured"] as? String == "100M" && egress["configured_bps"] as? Int == 100_000_000)
            #expect(egress["achieved_bps"] as? Int == 96_000_000 && egress["ratio"] as? Double == 0.96)
            let ingress = try #require(report["ingress"] as? [String: Any])
            #expect(ingress["configured_bps"] as? Int == 50_000_000 && ingress["achieved_bps"] as? Int == 48_000_000)

            let fake = try #require(plane.runtime as? FakeHostRuntime)
            let measured = await fake.measurements
            #expect(measured.count == 1 && measured.first?.seconds == 3 && measured.first?.peer.description == "10.100.0.3")
            #expect(try await free(client) == freeBefore, "the probe's address is back in the pool")

            let operationID = try #require(report["operation"] as? Int)
            let operation = try json(try await client.get("/api/v1/operations/\(operationID)"))
            #expect(operation["kind"] as? String == "verify-bandwidth" && operation["state"] as? String == "succeeded")
            let kept = try #require((operation["result"] as? [String: Any])?["bandwidth"] as? [String: Any])
            #expect((kept["egress"] as? [String: Any])?["achieved_bps"] as? Int == 96_000_000)
        }
    }

    @Test("a machine without limits is measured too: no ratio, JSON bodies take seconds as a number")
    func unlimited() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            let response = try await client.postJSON("/api/v1/machines/web-01/verify-bandwidth", #"{"seconds": 2}"#)
            #expect(response.status == .ok)
            let egress = try #require(try json(response)["egress"] as? [String: Any])
            #expect(egress["configured"] == nil && egress["ratio"] == nil && egress["achieved_bps"] as? Int == 960_000_000)
        }
    }

    @Test("while it runs its address is out of the pool: a create takes the next one; afterwards it is free again")
    func borrowedWhileRunning() async throws {
        try await withAPI(waitingForOperations: false) { client, plane in
            let waiting = client.with(token: client.token, waitingForOperations: true)
            _ = try await waiting.postForm("/api/v1/machines", web01)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.setMeasurementDelay(.milliseconds(300))
            let accepted = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [])
            #expect(accepted.status == .accepted)
            let operation = try json(accepted)
            #expect(operation["kind"] as? String == "verify-bandwidth")
            let web02 = try json(try await waiting.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1")]))
            #expect(web02["ip"] as? String == "10.100.0.4", "10.100.0.3 is the probe's while the test runs")
            let id = try #require(operation["id"] as? Int)
            let ended = try json(try await client.get("/api/v1/operations/\(id)?wait=10s"))
            #expect(ended["state"] as? String == "succeeded")
            await fake.setMeasurementDelay(nil)
            let web03 = try json(try await waiting.postForm("/api/v1/machines", [("name", "web-03"), ("idc", "dc1")]))
            #expect(web03["ip"] as? String == "10.100.0.3", "the probe's address went back to the pool")
        }
    }

    @Test(
        "bad requests are 422 naming the field, and record nothing",
        arguments: [("seconds", "0"), ("seconds", "31"), ("seconds", "five"), ("seconds", "-1"), ("duration", "5")])
    func refusals(field: String, value: String) async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            let before = try await plane.rowCounts()
            let response = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [(field, value)])
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == field)
            #expect(try await plane.rowCounts() == before)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            #expect(await fake.measurements.isEmpty)
        }
    }

    @Test("a stopped machine is 409 and an unknown one 404, with no operation recorded and no address taken")
    func notRunning() async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            _ = try await client.postForm("/api/v1/machines/web-01/stop", [])
            let freeBefore = try await free(client)
            let before = try await plane.rowCounts()
            let response = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("web-01 is stopped") == true)
            #expect(try await client.postForm("/api/v1/machines/web-09/verify-bandwidth", []).status == .notFound)
            #expect(try await plane.rowCounts() == before)
            #expect(try await free(client) == freeBefore)
        }
    }

    @Test("a pool with no free address for the probe is 409 naming the pool, and records nothing")
    func poolFull() async throws {
        try await withAPI(site: TestSite.make(cidr: "10.100.0.0/30")) { client, plane in
            #expect(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]).status == .created)
            let before = try await plane.rowCounts()
            let response = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("pool pool-a has no free address for the probe") == true)
            #expect(try await plane.rowCounts() == before)
        }
    }

    @Test("a failure on the host fails the operation, answers 502, and the address still goes back")
    func hostFailure() async throws {
        try await withAPI { client, plane in
            let machine = try json(try await client.postForm("/api/v1/machines", web01))
            let freeBefore = try await free(client)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.failStarts(on: try Hostname(parsing: try #require(machine["host"] as? String)))
            let response = try await client.postForm("/api/v1/machines/web-01/verify-bandwidth", [])
            #expect(response.status.code == 502)
            #expect(try errorBody(response).message?.contains("measuring the bandwidth of web-01") == true)
            #expect(try await free(client) == freeBefore)
            let operations = try json(try await client.get("/api/v1/operations?kind=verify-bandwidth"))
            let failed = try #require((operations["operations"] as? [[String: Any]])?.first)
            #expect(failed["state"] as? String == "failed" && failed["result"] == nil)
            #expect(
                try json(try await client.get("/api/v1/machines/web-01"))["state"] as? String == "running", "a failed test leaves the machine alone")
        }
    }

    @Test("a viewer may not run it: it takes bandwidth and an address")
    func viewer() async throws {
        try await withAPI { admin, plane in
            _ = try await plane.services.access.createTeam(named: try Hostname(parsing: "web"), by: .system)
            _ = try await admin.postForm("/api/v1/machines", web01 + [("team", "web")])
            let viewer = admin.with(token: try await plane.token(forNew: "someone", role: try Role(parsing: "viewer"), teams: ["web"]))
            let response = try await viewer.postForm("/api/v1/machines/web-01/verify-bandwidth", [])
            #expect(response.status == .forbidden)
        }
    }

    @Test("probe addresses left by a crash go back to their pools at start-up")
    func crashLeftovers() async throws {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.machines.create(TestSite.request("web-01"))
        let pool: Hostname = TestSite.value("pool-a")
        let freeBefore = try await plane.services.pools.details(named: pool).usage.free
        try await plane.store.transaction { store in
            let operation = try store.beginOperation(
                .verifyBandwidth, machine: TestSite.value("web-01"), team: nil, requestedBy: "test", state: .running, at: Date())
            #expect(try store.takeProbeAddress(in: pool, for: operation)?.description == "10.100.0.3")
        }
        #expect(try await plane.services.pools.details(named: pool).usage.free == freeBefore - 1)
        let interrupted = try await plane.services.operations.interruptUnfinished()
        #expect(interrupted.map(\.kind) == [.verifyBandwidth])
        #expect(try await plane.services.pools.details(named: pool).usage.free == freeBefore)

        let fake = try #require(plane.runtime as? FakeHostRuntime)
        await fake.leaveProbes(2, on: TestSite.value("z1-r1-h1"))
        #expect(try await plane.services.bandwidth.removeLeftoverProbes() == 2, "their namespaces and ports go from the hosts too")
        #expect(try await plane.services.bandwidth.removeLeftoverProbes() == 0)
    }
}
