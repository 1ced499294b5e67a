import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KennelServer
import KennelTesting
import Testing

@Suite("Envelope gaps: 405 with Allow, HEAD, 413")
struct EnvelopeGapTests {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    @Test("every route of the table is served with exactly its methods; the others are 405 with Allow")
    func tableMatchesRouter() async throws {
        try await withAPI { client, _ in
            for route in RouteTable.routes {
                let base = "/" + route.pattern.map { $0.hasPrefix(":") ? "x1" : $0 }.joined(separator: "/")
                // The events stream follows forever unless told not to.
                let path = base.hasSuffix("/events") ? base + "?follow=0" : base
                for method in Self.methods {
                    let response = try await client.executeRequest(uri: path, method: method, headers: [:], body: nil)
                    let body = (try? errorBody(response)) ?? (code: nil, field: nil, message: nil)
                    if route.methods.contains(method) {
                        #expect(response.status != .methodNotAllowed, "\(method) \(path)")
                        #expect(body.message?.hasPrefix("no such endpoint") != true, "\(method) \(path) is not routed")
                    } else {
                        #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                        #expect(body.code == "method_not_allowed")
                        let allow = response.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                        let expected = route.methods.map(\.rawValue) + (route.methods.contains(.get) ? ["HEAD"] : [])
                        #expect(allow == expected, "\(method) \(path)")
                    }
                }
            }
            let unknown = try await client.executeRequest(uri: "/api/v1/nothing", method: .get, headers: [:], body: nil)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("HEAD works where GET does, without a body")
    func head() async throws {
        try await withAPI { client, _ in
            for path in ["/api/v1/machines", "/api/v1/pools", "/api/v1/hosts", "/healthz"] {
                let response = try await client.executeRequest(uri: path, method: .head, headers: [:], body: nil)
                #expect(response.status == .ok, "\(path)")
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test("a body over 1 MiB is 413 body_too_large and writes nothing")
    func bodyTooLarge() async throws {
        try await withAPI { client, plane in
            let body = "name=web-01&idc=dc1&owner=" + String(repeating: "a", count: (1 << 20) + 10)
            let response = try await client.executeRequest(
                uri: "/api/v1/machines", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
            #expect(response.status == .contentTooLarge)
            #expect(try errorBody(response).code == "body_too_large")
            #expect(try await plane.rowCounts().machines == 0)
        }
    }

    @Test("over-long URLs and header sections get the envelope: 414 and 431 request_too_large")
    func longURLAndHeaders() async throws {
        try await withAPI { client, _ in
            let url = try await client.get("/api/v1/machines/" + String(repeating: "a", count: 9_000))
            #expect(url.status == .uriTooLong)
            #expect(try errorBody(url).code == "request_too_large")
            let name = try #require(HTTPField.Name("X-Filler"))
            let headers = try await client.executeRequest(
                uri: "/api/v1/machines", method: .get, headers: [name: String(repeating: "b", count: 17_000)], body: nil)
            #expect(headers.status == .requestHeaderFieldsTooLarge)
            #expect(try errorBody(headers).code == "request_too_large")
        }
    }
}
