import Foundation
import Hummingbird
import HummingbirdTesting
import KennelConsole
import KennelControl
import KennelServer
import KennelTesting
import Logging

/// Runs `body` against the API router with the console, over a fresh test control plane.
func withConsole<Value>(_ body: @Sendable (ConsoleBrowser, TestControlPlane) async throws -> Value) async throws -> Value {
    let plane = try await TestControlPlane.make()
    let console = try ConsoleRoutes(services: plane.services)
    let app = Application(router: KennelAPI.router(services: plane.services, extensions: [console]), logger: .silent)
    return try await app.test(.router) { client in
        try await body(ConsoleBrowser(client: client), plane)
    }
}

/// A page as the tests read it.
struct Page {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let html: String

    var location: String? { headers[.location] }

    /// The value of the first `name="csrf"` input.
    var formToken: String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// A browser in miniature: keeps the session cookie, follows nothing by itself.
final class ConsoleBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookie: String?

    init(client: any TestClientProtocol) { self.client = client }

    func get(_ path: String) async throws -> Page {
        try await send(path, method: .get, body: nil, contentType: nil)
    }

    /// POSTs a form; `csrf` adds the current page's token when given.
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil, headers extra: HTTPFields = [:]) async throws -> Page {
        var all = fields
        if let csrf { all.append(("csrf", csrf)) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.")
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await send(path, method: .post, body: body, contentType: "application/x-www-form-urlencoded", extra: extra)
    }

    /// Signs in with `token`; returns the sign-in answer.
    @discardableResult func signIn(_ token: String, next: String = "") async throws -> Page {
        try await post("/ui/login", [("token", token), ("next", next)])
    }

    /// The form token of the page at `path` (any signed-in page has one).
    func formToken(from path: String = "/ui/machines") async throws -> String {
        try await get(path).formToken ?? ""
    }

    func send(_ path: String, method: HTTPRequest.Method, body: String?, contentType: String?, extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if let cookie { headers[.cookie] = cookie }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        if let set = response.headers[.setCookie], let pair = set.split(separator: ";").first {
            cookie = pair.hasSuffix("=") ? nil : String(pair)
        }
        return Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }
}
