import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Import plans over HTTP: multipart uploads as curl -F sends them")
struct ImportAPITests {
    private func multipart(_ parts: [(name: String, filename: String?, body: String)], boundary: String = "XyZ") -> ByteBuffer {
        var text = ""
        for part in parts {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { text += "; filename=\"\(filename)\"\r\nContent-Type: text/csv" }
            text += "\r\n\r\n\(part.body)\r\n"
        }
        return ByteBuffer(string: text + "--\(boundary)--\r\n")
    }

    private func post(
        _ client: some TestClientProtocol, _ body: ByteBuffer, contentType: String = "multipart/form-data; boundary=XyZ",
        to uri: String = "/api/v1/imports/plan"
    ) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .post, headers: [.contentType: contentType], body: body)
    }

    @Test("two files and a map: the plan with rows, groups and totals; nothing is written")
    func plan() async throws {
        try await withAPI { admin, plane in
            let csv = "name,ip,cpus,memory,idc,power\nWEB_01,10.100.0.10,2,4G,dc1,on\nweb-01,10.100.0.11,1,1G,dc1,on\nold-01,,1,1G,dc1,off\n"
            let more = "name,ip,cpus,memory,idc\napp-01,10.100.0.12,1,2G,dc1\n"
            let map = "sizes: {memory: {round_to: 1G}}\n"
            let before = try await plane.rowCounts()
            let response = try await post(
                admin,
                multipart([("file", "a.csv", csv), ("file", "b.csv", more), ("map", "map.yaml", map), ("include_off", nil, "0")]))
            #expect(response.status == .ok)
            let plan = try json(response)
            let rows = try #require(plan["rows"] as? [[String: Any]])
            #expect(rows.map { $0["action"] as? String } == ["error", "error", "skip", "create"])
            #expect((rows[0]["reasons"] as? [String])?.first?.contains(#"a.csv row 3 ("web-01")"#) == true, "both rows name each other")
            #expect(rows[3]["file"] as? String == "b.csv" && rows[3]["memory"] as? String == "2G")
            #expect((plan["totals"] as? [String: Int]) == ["create": 1, "update": 0, "unchanged": 0, "skip": 1, "error": 2])
            #expect(plan["clean"] as? Bool == false && (plan["groups"] as? [[String: Any]])?.count == 1)
            #expect(try await plane.rowCounts() == before)
        }
    }

    @Test(
        "refusals: not multipart (400), no file or a bad format or map (422 naming the field), an unknown field (422)",
        arguments: [
            ("application/x-www-form-urlencoded", [("file", "a.csv", "name\nx\n")], 400, nil),
            ("multipart/form-data; boundary=XyZ", [("map", "m.yaml", "{}")], 422, "file"),
            ("multipart/form-data; boundary=XyZ", [("file", "a.csv", "name\nx\n"), ("format", nil, "excel")], 422, "format"),
            ("multipart/form-data; boundary=XyZ", [("file", "a.csv", "name\nx\n"), ("map", "m.yaml", "sizes: 3")], 422, "map"),
            (
                "multipart/form-data; boundary=XyZ", [("file", "a.csv", "name\nx\n"), ("map", "m.yaml", "pools: [{match: {vlan: 1}, pol: a}]")], 422,
                "map"
            ),
            ("multipart/form-data; boundary=XyZ", [("file", "a.csv", "name\nx\n"), ("apply", nil, "1")], 422, "apply"),
            ("multipart/form-data", [("file", "a.csv", "name\nx\n")], 400, nil),
        ] as [(String, [(String, String?, String)], Int, String?)])
    func refusals(contentType: String, parts: [(String, String?, String)], status: Int, field: String?) async throws {
        try await withAPI { admin, _ in
            let response = try await post(admin, multipart(parts.map { ($0.0, $0.1, $0.2) }), contentType: contentType)
            #expect(response.status.code == status)
            #expect(try errorBody(response).field == field)
        }
    }

    @Test(
        "bodies that do not parse as multipart are 400 and the service answers on (a non-ASCII header name once crashed it)",
        arguments: [
            [0x2D, 0x2D, 0x58, 0x79, 0x5A, 0x0D, 0x0A, 0x70, 0xC3, 0xBC, 0xC2, 0x9B, 0x2D, 0x2D, 0x58, 0x79, 0x5A, 0x2D, 0x2D, 0x0D, 0x0A],
            Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nname\nx\n".utf8),
            Array("--XyZ\r\nContent-Type: text/csv\r\n\r\nname\nx\n\r\n--XyZ--\r\n".utf8),
        ] as [[UInt8]])
    func unparsable(body: [UInt8]) async throws {
        try await withAPI { admin, _ in
            let response = try await post(admin, ByteBuffer(bytes: body))
            #expect(response.status == .badRequest)
            #expect(try await admin.get("/healthz").status == .ok)
        }
    }

    @Test("only admins plan imports")
    func adminsOnly() async throws {
        try await withAPI { admin, plane in
            let token = try await plane.token(forNew: "olga", role: try Role(parsing: "operator"))
            let response = try await post(admin.with(token: token), multipart([("file", "a.csv", "name\nx\n")]))
            #expect(response.status == .forbidden)
        }
    }

    @Test("apply: 409 naming the rows when not clean, nothing written; 202 with an operation whose result has each row; a re-run 0 changes")
    func apply() async throws {
        try await withAPI { admin, plane in
            let dirty = "name,ip,idc\na-01,10.100.0.10,dc1\na-02,10.100.0.10,dc1\na-03,10.100.0.13,dc1\n"
            let before = try await plane.rowCounts()
            let refused = try await post(admin, multipart([("file", "a.csv", dirty)]), to: "/api/v1/imports")
            #expect(refused.status == .conflict)
            let error = try errorBody(refused)
            #expect(error.field == "file" && error.message?.contains("row 2") == true && error.message?.contains("row 3") == true)
            #expect(try await plane.rowCounts().machines == before.machines)
            let partial = try await post(
                admin, multipart([("file", "a.csv", dirty), ("partial", nil, "1"), ("records_only", nil, "1")]), to: "/api/v1/imports?wait=1")
            #expect(partial.status == .ok)
            let operation = try json(partial)
            #expect(
                operation["kind"] as? String == "import" && operation["target"] as? String == "import" && operation["state"] as? String == "succeeded"
            )
            let outcome = try #require((operation["result"] as? [String: Any])?["import"] as? [String: Any])
            #expect(outcome["records_only"] as? Bool == true && outcome["changes"] as? Int == 1)
            #expect((outcome["totals"] as? [String: Int]) == ["created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "error": 2, "failed": 0])
            let rowsURL = try #require(outcome["rows_url"] as? String)
            let rows = try #require(try json(try await admin.get(rowsURL))["rows"] as? [[String: Any]])
            #expect(rows.map { $0["result"] as? String } == ["error", "error", "created"])
            #expect((rows[0]["reason"] as? String)?.contains("10.100.0.10") == true && rows[2]["machine"] as? String == "a-03")
            let csv = String(buffer: try await admin.get(rowsURL + "?format=csv").body)
            #expect(csv.hasPrefix("file,row,source_name,source_id,machine,result,reason\r\n") && csv.contains(",a-03,created,"))
            #expect(try await admin.get("/api/v1/imports/999/rows").status == .notFound)
            let machine = try json(try await admin.get("/api/v1/machines/a-03"))
            #expect(machine["state"] as? String == "imported" && machine["ip"] as? String == "10.100.0.13")
            let clean = "name,ip,idc\na-03,10.100.0.13,dc1\n"
            let accepted = try await post(admin, multipart([("file", "a.csv", clean), ("records_only", nil, "1")]), to: "/api/v1/imports")
            #expect(accepted.status == .accepted && accepted.headers[.location]?.hasPrefix("/api/v1/operations/") == true)
            let id = try #require(try json(accepted)["id"] as? Int)
            let done = try json(try await admin.get("/api/v1/operations/\(id)?wait=10s"))
            #expect(((done["result"] as? [String: Any])?["import"] as? [String: Any])?["changes"] as? Int == 0)
        }
    }
}
