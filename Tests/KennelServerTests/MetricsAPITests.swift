import Foundation
import Hummingbird
import HummingbirdTesting
import KennelModel
@testable import KennelServer
import KennelTesting
import Synchronization
import Testing

@Suite("Prometheus metrics")
struct MetricsAPITests {
    @Test("/metrics needs a token unless open, and shows requests, operations, machines, pools and hosts")
    func families() async throws {
        try await withAPI { client, _ in
            #expect(try await client.with(token: nil).get("/metrics").status == .unauthorized)
            #expect(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]).status == .created)
            _ = try await client.get("/api/v1/machines/web-01")
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            for expected in [
                #"kennel_machines{state="running"} 1"#, #"kennel_pool_addresses{pool="pool-a",kind="used"} 1"#,
                #"kennel_host_capacity{host="z1-r1-h1",resource="cpus"}"#, #"kennel_host_allocated{host="z1-r1-h1",resource="cpus"} 1"#,
                #"kennel_operations_total{kind="create",state="succeeded"}"#, "# TYPE kennel_operation_duration_seconds histogram",
                "kennel_http_requests_total{", #"route="/api/v1/machines/{name}""#, "# TYPE kennel_http_request_duration_seconds histogram",
            ] {
                #expect(text.contains(expected), "\(expected)")
            }
        }
    }

    @Test("scrapes at once each show their own inventory, never a mix of two")
    func concurrentScrapes() {
        KennelMetrics.bootstrap()
        let scrapes = 400
        let mixed = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: scrapes) { count in
            var snapshot = InventorySnapshot()
            snapshot.machines[.running] = 1000 + count
            snapshot.machines[.stopped] = 2000 + count
            let text = KennelMetrics.render(snapshot)
            if !text.contains(#"kennel_machines{state="running"} \#(1000 + count)"#)
                || !text.contains(#"kennel_machines{state="stopped"} \#(2000 + count)"#)
            {
                mixed.withLock { $0 += 1 }
            }
        }
        #expect(mixed.withLock { $0 } == 0, "scrapes that showed another scrape's numbers")
    }

    @Test("per-machine usage appears once gathered, labelled by machine and host, scoped to the token's teams, and leaves with the machine")
    func machineUsage() async throws {
        let plane = try await TestControlPlane.make(usageReader: FakeUsageReader())
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { base throws in
            let client = try await plane.authorized(base)
            #expect(try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")]).status == .created)
            let viewer = client.with(token: try await plane.token(forNew: "vera", role: .viewer, teams: ["ops"]))
            #expect(try await client.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1"), ("team", "ops")]).status == .created)
            let host = try #require(try await plane.store.machine(named: Hostname(parsing: "web-01"))).host
            let first = String(buffer: try await client.get("/metrics").body)
            #expect(!first.contains("kennel_machine_cpu_seconds_total{"))
            await plane.services.usage?.settle()
            let text = String(buffer: try await client.get("/metrics").body)
            let labels = #"{machine="web-01",host="\#(host)"}"#
            for expected in [
                "# TYPE kennel_machine_cpu_seconds_total counter", "kennel_machine_cpu_seconds_total\(labels) 1.5",
                "kennel_machine_memory_bytes\(labels) 67108864", "kennel_machine_network_receive_bytes_total\(labels) 1000",
                "kennel_machine_network_transmit_bytes_total\(labels) 2000", "kennel_machine_disk_used_bytes\(labels) 314572800",
                #"kennel_host_usage_up{host="\#(host)"} 1"#,
            ] {
                #expect(text.contains(expected), "\(expected)")
            }
            let seen = String(buffer: try await viewer.get("/metrics").body)
            #expect(seen.contains(#"kennel_machine_cpu_seconds_total{machine="web-02""#))
            #expect(!seen.contains(#"machine="web-01""#), "a viewer sees their teams' machines only")
            #expect(try await client.executeRequest(uri: "/api/v1/machines/web-01", method: .delete, headers: [:], body: nil).status == .noContent)
            #expect(!String(buffer: try await client.get("/metrics").body).contains(#"machine="web-01""#))
        }
    }

    @Test("label values are escaped as the text format asks")
    func escaping() {
        #expect(MachineUsageMetrics.escaped(#"a"b\c"#) == #"a\"b\\c"#)
    }

    @Test("with openMetrics, /metrics answers without a token")
    func openMetrics() async throws {
        let plane = try await TestControlPlane.make()
        let app = Application(router: KennelAPI.router(services: plane.services, openMetrics: true), logger: .silent)
        try await app.test(.router) { client throws in
            let metrics = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(metrics.status == .ok)
            let machines = try await client.executeRequest(uri: "/api/v1/machines", method: .get, headers: [:], body: nil)
            #expect(machines.status == .unauthorized)
        }
    }
}
