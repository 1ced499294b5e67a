import Foundation
import Hummingbird
import KennelModel
import KennelServer

/// Redirects and HTML responses.
enum ConsoleAnswers {
    /// 303 to `path` (after a form: the browser GETs the next page).
    static func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    /// 303 to the sign-in page, which sends the user back to this page afterwards (for a GET).
    static func signIn(returningTo request: Request) -> Response {
        guard request.method == .get, let target = ReturnPath.checked(request.uri.description) else { return redirect("/ui/login") }
        return redirect("/ui/login?next=" + ReturnPath.encoded(target))
    }

    /// An HTML page.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Where the sign-in page may send a user back to: a console path on this site, never
/// another site (`//evil`, `/\evil`, a scheme).
enum ReturnPath {
    static func checked(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/ui/"), !text.hasPrefix("/ui/login"), !text.contains("\\"), !text.contains("//"),
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return text
    }

    static func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: QueryText.unreserved.union(["/"])) ?? "/ui/machines"
    }
}

/// Links: percent-encoded query items and path segments.
enum QueryText {
    /// RFC 3986's unreserved characters (ASCII only: `CharacterSet.alphanumerics` would let
    /// other scripts' letters through unencoded).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    static func link(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        let query = items.map { name, value in segment(name) + "=" + segment(value) }
        return path + "?" + query.joined(separator: "&")
    }

    /// A path segment or query item, percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The page of machine `name`.
    static func machine(_ name: String) -> String { "/ui/machines/" + segment(name) }
}

/// The fields of a console form (its body, already checked for the session's token by
/// `ConsoleMiddleware`), without the token.
enum ConsoleForm {
    static func pairs(of request: Request) async throws -> [(name: String, value: String)] {
        let body = try await request.body.collect(upTo: ConsoleMiddleware.maximumFormSize)
        return try FormEncoding.pairs(from: String(buffer: body)).filter { $0.name != "csrf" }
    }
}
