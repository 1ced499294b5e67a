import Foundation
import Hummingbird
import HummingbirdTesting
import KennelServer
import KennelTesting
import Testing

@Suite("Optimistic concurrency: ETag and If-Match")
struct EntityTagTests {
    private func send(_ client: AuthorizedTestClient, _ method: HTTPRequest.Method, _ uri: String, _ body: String?, ifMatch: String?)
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test(
        "pools, hosts and machines: a stale If-Match is 412 and changes nothing; the current one goes through",
        arguments: [
            ("/api/v1/pools/pool-a", "quarantine=1h", "quarantine=2h"), ("/api/v1/hosts/z1-r1-h1", "state=draining", "state=active"),
        ])
    func staleTags(path: String, first: String, second: String) async throws {
        try await withAPI { client, _ in
            let read = try await client.get(path)
            let tag = try #require(read.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.count == 34)
            #expect(try await client.get(path).headers[.eTag] == tag)
            let changed = try await send(client, .patch, path, first, ifMatch: tag)
            #expect(changed.status == .ok)
            let newTag = try #require(changed.headers[.eTag])
            #expect(newTag != tag)
            let stale = try await send(client, .patch, path, second, ifMatch: tag)
            #expect(stale.status == .preconditionFailed)
            #expect(try errorBody(stale).code == "precondition_failed")
            #expect(try await client.get(path).headers[.eTag] == newTag)
            #expect(try await send(client, .patch, path, second, ifMatch: "*").status == .ok)
        }
    }

    @Test("a machine's tag changes with its state; a stop with a stale tag is 412 and records no operation")
    func machines() async throws {
        try await withAPI { client, plane in
            let created = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            let tag = try #require(created.headers[.eTag])
            #expect(try await client.get("/api/v1/machines/web-01").headers[.eTag] == tag)
            let stopped = try await send(client, .post, "/api/v1/machines/web-01/stop", nil, ifMatch: tag)
            #expect(stopped.status == .ok)
            let operations = try await plane.rowCounts().operations
            let stale = try await send(client, .post, "/api/v1/machines/web-01/start", nil, ifMatch: tag)
            #expect(stale.status == .preconditionFailed)
            #expect(try await plane.rowCounts().operations == operations)
            let current = try #require(try await client.get("/api/v1/machines/web-01").headers[.eTag])
            #expect(try await send(client, .delete, "/api/v1/machines/web-01", nil, ifMatch: current).status == .noContent)
        }
    }
}
