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
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-_.~")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/ui/machines"
    }
}

/// The text of a query item for a link: percent-encoded.
enum QueryText {
    static func link(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        let query = items.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }
        return path + "?" + query.joined(separator: "&")
    }

    /// A path segment (a machine name is a hostname, but escape anyway).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
