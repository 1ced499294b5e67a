import Foundation
import Hummingbird
import HummingbirdTesting
import KennelServer
import KennelTesting
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
