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

    private func post(_ client: some TestClientProtocol, _ body: ByteBuffer, contentType: String = "multipart/form-data; boundary=XyZ")
        async throws -> TestResponse
    {
        try await client.executeRequest(uri: "/api/v1/imports/plan", method: .post, headers: [.contentType: contentType], body: body)
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

    @Test("only admins plan imports")
    func adminsOnly() async throws {
        try await withAPI { admin, plane in
            let token = try await plane.token(forNew: "olga", role: try Role(parsing: "operator"))
            let response = try await post(admin.with(token: token), multipart([("file", "a.csv", "name\nx\n")]))
            #expect(response.status == .forbidden)
        }
    }
}
