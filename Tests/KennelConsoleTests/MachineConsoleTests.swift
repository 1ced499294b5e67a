import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite struct MachineConsoleTests {
    @Test func aBadRequestShowsEveryFieldsMessageAndKeepsTheValues() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let token = try await browser.formToken(from: "/ui/machines/new")
            let page = try await browser.post(
                "/ui/machines", [("name", "web-01"), ("idc", ""), ("memory", "lots"), ("cpus", "0"), ("disk", "1Q"), ("owner", "ops")],
                csrf: token)
            #expect(page.status == .unprocessableContent)
            #expect(page.html.contains(#"<p id="err-memory" class="field-error">memory: &#39;lots&#39; is not a size"#))
            #expect(page.html.contains(#"id="err-idc""#))
            #expect(page.html.contains(#"id="err-cpus""#))
            #expect(page.html.contains(#"id="err-disk""#))
            #expect(!page.html.contains(#"id="err-owner""#))
            #expect(page.html.contains(#"name="memory" type="text" value="lots""#))
            #expect(page.html.contains(#"name="owner" type="text" value="ops""#))
            #expect(page.html.contains(#"aria-invalid="true" aria-describedby="hint-memory err-memory""#))
            #expect(try await plane.rowCounts() == (0, 0, 0))
        }
    }

    @Test func aRefusalFromTheServiceIsShownBesideItsField() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let token = try await browser.formToken(from: "/ui/machines/new")
            let first = try await browser.post("/ui/machines", [("name", "web-01"), ("idc", "dc1")], csrf: token)
            #expect(first.status == .seeOther)
            #expect(first.location == "/ui/machines/web-01")
            let again = try await browser.post("/ui/machines", [("name", "web-01"), ("idc", "dc1")], csrf: token)
            #expect(again.status == .conflict)
            #expect(again.html.contains(#"id="err-name""#))
            #expect(try await plane.rowCounts().machines == 1)
        }
    }

    @Test func aRequestedMachineAppearsWithItsAddressAndCanBeResizedAndDeleted() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let token = try await browser.formToken(from: "/ui/machines/new")
            _ = try await browser.post("/ui/machines", [("name", "web-01"), ("idc", "dc1"), ("memory", "512M"), ("service", "web")], csrf: token)
            _ = try await plane.services.operations.wait(id: 1, upTo: .seconds(10))
            let list = try await browser.get("/ui/machines")
            #expect(list.html.contains(#"<a href="/ui/machines/web-01">web-01</a>"#))
            let machine = try await plane.services.machines.machine(named: Hostname(verified: "web-01"))
            #expect(list.html.contains(machine.network.ip.description))

            let page = try await browser.get("/ui/machines/web-01")
            #expect(page.html.contains(#"<dd class="mono" id="machine-ip">\#(machine.network.ip)/"#))
            #expect(page.html.contains(#"<dd id="machine-processes">at most \#(machine.spec.processLimit) "#))
            #expect(page.html.contains("kennel ssh web-01"))
            #expect(page.html.contains("machine.create"))

            let bad = try await browser.post("/ui/machines/web-01/resize", [("disk", "-1G")], csrf: token)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(#"id="err-disk""#))
            let resized = try await browser.post("/ui/machines/web-01/resize", [("disk", "20G"), ("disk_write_bps", "")], csrf: token)
            #expect(resized.location == "/ui/machines/web-01")
            _ = try await plane.services.operations.wait(id: 2, upTo: .seconds(10))
            let grown = try await plane.services.machines.machine(named: Hostname(verified: "web-01"))
            #expect(grown.spec.disk == .gibibytes(20))

            let wrongName = try await browser.post("/ui/machines/web-01/delete", [("confirm", "web-02")], csrf: token)
            #expect(wrongName.status == .unprocessableContent)
            let confirm = try await browser.get("/ui/machines/web-01/confirm?action=delete")
            #expect(confirm.html.contains("Type the machine's name, web-01, to confirm"))
            let deleted = try await browser.post("/ui/machines/web-01/delete", [("confirm", "web-01")], csrf: token)
            #expect(deleted.location == "/ui/machines?deleting=web-01")
            _ = try await plane.services.operations.wait(id: 3, upTo: .seconds(10))
            #expect(try await plane.rowCounts().machines == 0)
        }
    }

    @Test func aRefusedFormsPageShowsTheRunningOperationButDoesNotFollowIt() async throws {
        try await withConsole { browser, plane in
            let runtime = try #require(plane.runtime as? FakeHostRuntime)
            await runtime.holdStarts()
            try await browser.signIn(try await plane.adminToken())
            let token = try await browser.formToken(from: "/ui/machines/new")
            _ = try await browser.post("/ui/machines", [("name", "web-01"), ("idc", "dc1")], csrf: token)
            let page = try await browser.get("/ui/machines/web-01")
            #expect(page.html.contains(#"id="progress" data-machine="web-01" data-operation="1""#))
            // The script reloads a page that follows an operation; reloading a refused form's page would send the form again.
            let refused = try await browser.post("/ui/machines/web-01/resize", [("disk", "-1G")], csrf: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"id="err-disk""#))
            #expect(refused.html.contains(#"id="progress" aria-live="polite""#))
            #expect(!refused.html.contains("data-operation"))
            await runtime.releaseStarts()
            _ = try await plane.services.operations.wait(id: 1, upTo: .seconds(10))
        }
    }

    @Test func aViewerSeesNoActionsAndIsRefusedWhenPostingAnyway() async throws {
        try await withConsole { browser, plane in
            let viewer = try await plane.token(forNew: "vera", role: .viewer, teams: ["web"])
            var request = TestSite.request("web-01")
            request.team = Hostname(verified: "web")
            _ = try await plane.services.machines.create(request)
            try await browser.signIn(viewer)
            let page = try await browser.get("/ui/machines/web-01")
            #expect(page.status == .ok)
            #expect(!page.html.contains("/ui/machines/web-01/start"))
            #expect(!page.html.contains("confirm?action=delete"))
            #expect(!page.html.contains("Resize the disk"))
            #expect(!page.html.contains("Request a machine"))
            let token = try #require(page.formToken)
            for action in ["stop", "restart", "delete", "start"] {
                let refused = try await browser.post("/ui/machines/web-01/\(action)", [("confirm", "web-01")], csrf: token)
                #expect(refused.status == .forbidden, "\(action)")
            }
            let create = try await browser.post("/ui/machines", [("name", "web-02"), ("idc", "dc1")], csrf: token)
            #expect(create.status == .forbidden)
            #expect(try await plane.rowCounts().machines == 1)
            #expect(try await plane.services.machines.machine(named: Hostname(verified: "web-01")).state == .running)
        }
    }

    @Test func untrustedTextIsEscapedEverywhereItIsShown() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let search = try await browser.get("/ui/machines?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(!search.html.contains("<script>alert(1)"))
            #expect(search.html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
            let notice = try await browser.get("/ui/machines?deleting=Call%20555%20now")
            #expect(!notice.html.contains("Call 555"))
            #expect(try await browser.get("/ui/machines?deleting=web-09").html.contains("web-09 is being deleted."))
            let missing = try await browser.get("/ui/%3Cimg%20src=x%3E")
            #expect(missing.status == .notFound)
            #expect(!missing.html.contains("<img src=x>"))
            let token = try await browser.formToken()
            let form = try await browser.post("/ui/machines", [("name", "<b>x</b>"), ("idc", "dc1")], csrf: token)
            #expect(!form.html.contains("<b>x</b>"))
            #expect(form.html.contains("&lt;b&gt;x&lt;/b&gt;"))
        }
    }

    @Test func theListFiltersSortsAndPagesOnTheServer() async throws {
        try await withConsole { browser, plane in
            for index in 1...30 {
                _ = try await plane.services.machines.create(TestSite.request(String(format: "m-%02d", index), memory: index % 2 == 0 ? "2G" : "1G"))
            }
            try await browser.signIn(try await plane.adminToken())
            let first = try await browser.get("/ui/machines?per=25")
            #expect(first.html.contains("30 of 30 machines · page 1 of 2"))
            #expect(first.html.contains(">m-25<"))
            #expect(!first.html.contains(">m-26<"))
            #expect(first.html.contains(#"href="/ui/machines?page=2&amp;per=25" rel="next""#))
            let sorted = try await browser.get("/ui/machines?sort=name&dir=desc&per=25&page=2")
            #expect(sorted.html.contains(">m-05<"))
            #expect(!sorted.html.contains(">m-06<"))
            let bad = try await browser.get("/ui/machines?sort=colour")
            #expect(bad.html.contains("sort: &#39;colour&#39; is not a column"))
        }
    }
}
