import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite struct ConsoleSessionTests {
    @Test func aPageWithoutASessionSendsToTheSignInPageAndBack() async throws {
        try await withConsole { browser, _ in
            let page = try await browser.get("/ui/machines?state=running")
            #expect(page.status == .seeOther)
            #expect(page.location == "/ui/login?next=/ui/machines%3Fstate%3Drunning")
            let root = try await browser.get("/")
            #expect(root.location == "/ui/machines")
        }
    }

    @Test func signingInSetsAStrictHttpOnlyCookieAndSigningOutEndsIt() async throws {
        try await withConsole { browser, plane in
            let refused = try await browser.signIn("kennel_" + String(repeating: "a", count: 43))
            #expect(refused.status == .unauthorized)
            #expect(refused.html.contains("That token was not accepted"))
            #expect(browser.cookie == nil)

            let answer = try await browser.signIn(try await plane.adminToken(), next: "/ui/pools")
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/ui/pools")
            let cookie = try #require(answer.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            #expect(await plane.services.sessions.count == 1)

            let list = try await browser.get("/ui/machines")
            #expect(list.status == .ok)
            #expect(list.html.contains("admin"))
            let token = try #require(list.formToken)
            let out = try await browser.post("/ui/logout", [], csrf: token)
            #expect(out.location == "/ui/login")
            #expect(await plane.services.sessions.count == 0)
            #expect(try await browser.get("/ui/machines").status == .seeOther)
        }
    }

    @Test func signingInNeverSendsToAnotherSite() async throws {
        try await withConsole { browser, plane in
            let token = try await plane.adminToken()
            for next in ["//evil.example/x", "https://evil.example", "/\\evil.example", "/ui//evil", "/api/v1/machines", "/ui/login"] {
                let answer = try await browser.signIn(token, next: next)
                #expect(answer.location == "/ui/machines", "next=\(next)")
            }
        }
    }

    @Test func aRevokedTokenEndsItsSessions() async throws {
        try await withConsole { browser, plane in
            let secret = try await plane.token(forNew: "olga", role: .operator, teams: ["web"])
            try await browser.signIn(secret)
            #expect(try await browser.get("/ui/machines").status == .ok)
            let tokens = try await plane.services.access.tokens(of: Hostname(verified: "olga"), by: .system)
            for token in tokens { _ = try await plane.services.access.revokeToken(id: token.id, by: .system) }
            let after = try await browser.get("/ui/machines")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/ui/login") == true)
        }
    }

    @Test func aFormWithoutItsTokenIsRefusedAndChangesNothing() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            let fields = [("name", "web-01"), ("idc", "dc1")]
            let missing = try await browser.post("/ui/machines", fields)
            #expect(missing.status == .forbidden)
            #expect(missing.html.contains("no valid token"))
            let wrong = try await browser.post("/ui/machines", fields, csrf: "not-the-token")
            #expect(wrong.status == .forbidden)
            #expect(try await plane.rowCounts().machines == 0)
            // The token of another session is not this session's.
            let other = ConsoleBrowser(client: browser.client)
            try await other.signIn(try await plane.adminToken())
            let foreign = try await browser.post("/ui/machines", fields, csrf: try await other.formToken())
            #expect(foreign.status == .forbidden)
            #expect(try await plane.rowCounts().machines == 0)
        }
    }

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        try await withConsole { browser, plane in
            for page in [try await browser.get("/ui/login"), try await browser.get("/ui/static/console.css")] {
                let policy = try #require(page.headers[.contentSecurityPolicy])
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(policy.contains("script-src 'self'"))
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
            }
            try await browser.signIn(try await plane.adminToken())
            let list = try await browser.get("/ui/machines")
            #expect(list.headers[.cacheControl] == "no-store")
            #expect(list.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test func aSessionReadsTheAPIButNeverChangesThroughIt() async throws {
        try await withConsole { browser, plane in
            try await browser.signIn(try await plane.adminToken())
            #expect(try await browser.get("/api/v1/machines").status == .ok)
            let post = try await browser.post("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            #expect(post.status == .unauthorized)
            #expect(try await plane.rowCounts().machines == 0)
        }
    }

    @Test func sessionsEndWhenIdleAndNeverOutliveTheirToken() async throws {
        let clock = TestClock()
        let sessions = ConsoleSessions(environment: .fixed(clock))
        let opened = await sessions.open(tokenHash: "h", tokenExpiresAt: clock.now.addingTimeInterval(3600))
        #expect(opened.session.expiresAt == clock.now.addingTimeInterval(3600))
        #expect(await sessions.session(secret: opened.secret) != nil)
        #expect(await sessions.session(secret: "other") == nil)
        clock.advance(by: 3601)
        #expect(await sessions.session(secret: opened.secret) == nil)
        let idle = await sessions.open(tokenHash: "h", tokenExpiresAt: nil)
        clock.advance(by: ConsoleSessions.idleLimit - 1)
        #expect(await sessions.session(secret: idle.secret) != nil)
        clock.advance(by: ConsoleSessions.idleLimit + 1)
        #expect(await sessions.session(secret: idle.secret) == nil)
        #expect(ConsoleSessions.sameToken("abc", "abc"))
        #expect(!ConsoleSessions.sameToken("abc", "abd"))
        #expect(!ConsoleSessions.sameToken("abc", "abcd"))
    }

    @Test func pastCapacityTheLeastRecentlyUsedSessionEnds() async {
        let clock = TestClock()
        let sessions = ConsoleSessions(environment: .fixed(clock), capacity: 2)
        let first = await sessions.open(tokenHash: "a", tokenExpiresAt: nil)
        clock.advance(by: 1)
        let second = await sessions.open(tokenHash: "b", tokenExpiresAt: nil)
        clock.advance(by: 1)
        #expect(await sessions.session(secret: first.secret) != nil)  // now the most recently used
        clock.advance(by: 1)
        let third = await sessions.open(tokenHash: "c", tokenExpiresAt: nil)
        #expect(await sessions.count == 2)
        #expect(await sessions.session(secret: second.secret) == nil)
        #expect(await sessions.session(secret: first.secret)?.tokenHash == "a")
        #expect(await sessions.session(secret: third.secret)?.tokenHash == "c")
        #expect(first.session.formToken != third.session.formToken)
    }
}
