import Foundation
import Hummingbird
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Strict bodies: one JSON type per field, no duplicates, no nesting, form keys with '='")
struct StrictBodyTests {
    @Test(
        "wrong JSON types, duplicate keys and nested values are 422 naming the field and write nothing",
        arguments: [
            (#"{"name":["a"],"idc":"dc1"}"#, "name"),
            (#"{"name":123,"idc":"dc1"}"#, "name"),
            (#"{"name":true,"idc":"dc1"}"#, "name"),
            (#"{"name":"a","idc":["dc1"]}"#, "idc"),
            (#"{"name":"a","idc":"dc1","cpus":[2]}"#, "cpus"),
            (#"{"name":"a","idc":"dc1","cpus":"2"}"#, "cpus"),
            (#"{"name":"a","idc":"dc1","cpus":2.5}"#, "cpus"),
            (#"{"name":"a","idc":"dc1","memory":["4G"]}"#, "memory"),
            (#"{"name":"a","idc":"dc1","memory":4096}"#, "memory"),
            (#"{"name":"a","idc":"dc1","host_labels":"ssd"}"#, "host_labels"),
            (#"{"name":"a","idc":"dc1","host_labels":[1]}"#, "host_labels"),
            (#"{"name":"a","idc":"dc1","ssh_key":[["k"]]}"#, "ssh_key"),
            (#"{"name":"a","idc":"dc1","zone":{"z":1}}"#, "zone"),
            (#"{"name":"a","name":"b","idc":"dc1"}"#, "name"),
            (#"{"name":"a","idc":"dc1","idc":"dc1"}"#, "idc"),
        ])
    func refusedJSON(body: String, field: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.postJSON("/api/v1/machines", body)
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == field)
            let counts = try await plane.rowCounts()
            #expect(counts.machines == 0 && counts.leases == 0 && counts.operations == 0)
        }
    }

    @Test(
        "malformed JSON is 400, deep nesting included",
        arguments: [
            "{", #"{"name":"a",}"#, #"{"name":"a" "idc":"b"}"#, #"{"name":"\u12"}"#, #"{"name":"\u+123"}"#,
            #"{"a":1} x"#, "[" + String(repeating: "[", count: 100),
            #"{"name":"#, "nul", #"{"name":01}"#,
        ])
    func malformedJSON(body: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.postJSON("/api/v1/machines", body)
            #expect(response.status == .badRequest)
            #expect(try errorBody(response).code == "bad_request")
            #expect(try await plane.rowCounts().machines == 0)
        }
    }

    @Test("well-typed JSON is accepted: escapes, null as absent, ssh_key as one string")
    func acceptedJSON() async throws {
        try await withAPI { client, _ in
            let response = try await client.postJSON(
                "/api/v1/machines", #"{"name":"w\u0065b-01","idc":"dc1","zone":null,"cpus":2,"memory":"2G","host_labels":[]}"#)
            #expect(response.status == .created)
            #expect(try json(response)["name"] as? String == "web-01")
        }
    }

    @Test(
        "a form key without '=' is 422 naming it",
        arguments: [
            ("name=a&idc=dc1&zone", "zone"), ("name&idc=dc1", "name"),
        ])
    func formKeyWithoutValue(body: String, field: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.executeRequest(
                uri: "/api/v1/machines", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == field)
            #expect(try await plane.rowCounts().machines == 0)
        }
    }
}
