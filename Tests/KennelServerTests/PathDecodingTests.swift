import Foundation
import Hummingbird
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Path parameters are percent-decoded once, as the CLI encodes them")
struct PathDecodingTests {
    @Test(
        "a service with '/', '%', '+' or '@' in its name can be looked up",
        arguments: [
            ("a/b", "a%2Fb"), ("a%b", "a%25b"), ("a+b", "a+b"), ("a+b", "a%2Bb"), ("ops@example.com", "ops%40example.com"),
        ])
    func serviceNames(service: String, encoded: String) async throws {
        try await withAPI { client, _ in
            let created = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("service", service)])
            #expect(created.status == .created)
            let spread = try await client.get("/api/v1/services/\(encoded)/spread")
            #expect(spread.status == .ok)
            #expect(try json(spread)["service"] as? String == service)
            #expect(try json(spread)["machines"] as? Int == 1)
        }
    }

    @Test("machine names percent-encoded in the path find the machine; malformed encoding is 404")
    func machineNames() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            #expect(try await client.get("/api/v1/machines/web%2D01").status == .ok)
            #expect(try await client.get("/api/v1/machines/web%2").status == .notFound)
        }
    }
}
