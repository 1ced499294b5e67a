import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Testing

@testable import KennelConsole

@Suite struct ImportConsoleTests {
    static let inventory = """
        name,ip,cpus,memory,disk,idc,zone,service
        imp-01,10.100.0.50,1,1G,10G,dc1,z1,imp
        imp-02,10.100.0.51,1,lots,10G,dc1,z1,imp
        """

    /// A multipart upload of `file` with the form token `csrf`.
    static func upload(_ browser: ConsoleBrowser, csrf: String?) async throws -> Page {
        let boundary = "kennel-test-boundary"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"inv.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        body += inventory + "\n\r\n--\(boundary)--\r\n"
        return try await browser.send(
            "/ui/import/plan", method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    @Test func anUploadIsPlannedWithItsErrorsMarkedThenAppliedFromTheKeptUpload() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let token = try await browser.formToken(from: "/ui/import")
            #expect(try await Self.upload(browser, csrf: nil).status == .forbidden)
            #expect(try await Self.upload(browser, csrf: "forged").status == .forbidden)
            let plan = try await Self.upload(browser, csrf: token)
            #expect(plan.status == .ok)
            #expect(plan.html.contains(#"<tr class="row-error"><td>inv.csv</td><td class="num">3</td><td>imp-02</td>"#))
            #expect(plan.html.contains(#"<span class="cell-error">memory</span>"#))
            #expect(try await plane.rowCounts().machines == 0)
            let upload = try #require(plan.html.range(of: #"name="upload" value=""#).map { plan.html[$0.upperBound...].prefix(32) })

            // Another session (even the same user's) cannot apply this session's upload.
            let other = ConsoleBrowser(client: browser.client)
            try await other.signIn(try await plane.token(forNew: "ada", role: .admin))
            let stolen = try await other.post("/ui/import/apply", [("upload", String(upload)), ("partial", "1")], csrf: try await other.formToken())
            #expect(stolen.status == .conflict)

            let applied = try await browser.post("/ui/import/apply", [("upload", String(upload)), ("partial", "1")], csrf: token)
            let location = try #require(applied.location)
            #expect(location.hasPrefix("/ui/import/operations/"))
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            _ = try await plane.services.operations.wait(id: id, upTo: .seconds(10))
            let done = try await browser.get(location)
            #expect(done.html.contains("1 created"))
            #expect(done.html.contains("1 error"))
            #expect(done.html.contains("/api/v1/imports/\(id)/rows?format=csv"))
            #expect(try await plane.rowCounts().machines == 1)
            let again = try await browser.post("/ui/import/apply", [("upload", String(upload)), ("partial", "1")], csrf: token)
            #expect(again.status == .conflict)
        }
    }

    @Test func importsAreForAdminsOnly() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.token(forNew: "olga", role: .operator, teams: ["web"]))
            #expect(try await browser.get("/ui/import").status == .forbidden)
            let token = try await browser.formToken()
            #expect(try await Self.upload(browser, csrf: token).status == .forbidden)
            #expect(!(try await browser.get("/ui/machines").html.contains(#"href="/ui/import""#)))
        }
    }

    @Test func aFileUploadGoesOnlyWhereAFileIsTaken() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let boundary = "b"
            let body = "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(try await browser.formToken())\r\n--b--\r\n"
            let page = try await browser.send("/ui/machines", method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(page.status == .badRequest)
        }
    }

    @Test(arguments: [
        (["f row 3 column \"Memory\": bad", "f row 3 column \"IP Address\": taken; column \"Memory\" again"], ["Memory", "IP Address"]),
        (["no column here"], []),
        (["column \"unterminated"], []),
    ])
    func theColumnsAtFaultAreReadFromTheReasons(reasons: [String], expected: [String]) {
        #expect(ImportPage.columns(in: reasons) == expected)
    }

    @Test func keptUploadsBelongToTheirOwnerExpireAndAreBounded() async {
        let uploads = KeptUploads<String>(capacity: 3, lifetime: 60, byteLimit: 10, size: { $0.utf8.count })
        let start = Date(timeIntervalSince1970: 1000)
        let first = await uploads.keep("aaaa", owner: "a", now: start)
        #expect(await uploads.upload(first, owner: "a", now: start) == "aaaa")
        #expect(await uploads.upload(first, owner: "b", now: start) == nil)
        #expect(await uploads.upload(first, owner: "a", now: start.addingTimeInterval(61)) == nil)
        let second = await uploads.keep("bbbb", owner: "a", now: start.addingTimeInterval(1))
        #expect(await uploads.upload(first, owner: "a", now: start.addingTimeInterval(2)) == "aaaa")
        // Over 10 bytes in all: the oldest goes.
        let third = await uploads.keep("cccc", owner: "a", now: start.addingTimeInterval(2))
        #expect(await uploads.upload(first, owner: "a", now: start.addingTimeInterval(3)) == nil)
        #expect(await uploads.upload(second, owner: "a", now: start.addingTimeInterval(3)) == "bbbb")
        #expect(await uploads.upload(third, owner: "a", now: start.addingTimeInterval(3)) == "cccc")
        await uploads.drop(third)
        #expect(await uploads.upload(third, owner: "a", now: start.addingTimeInterval(3)) == nil)
        #expect(first != second && second != third)
    }
}
