import Foundation
import Hummingbird
import KennelControl
import KennelModel

/// Authenticates every request but those to open paths (`/healthz`, the OpenAPI spec,
/// and `/metrics` unless it is protected): `Authorization: Bearer TOKEN`, or 401 in the
/// envelope before any route runs.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = KennelRequestContext

    let access: AccessService
    let openPaths: Set<String>
    let sessions: ConsoleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !openPaths.contains(path), !Self.isConsole(path) else { return try await next(request, context) }
        var context = context
        if let session = try await readingSession(request) {
            context.principal = try await access.authenticate(tokenHash: session.tokenHash)
        } else {
            context.principal = try await access.authenticate(bearer: Self.bearer(in: request))
        }
        return try await next(request, context)
    }

    /// The console's pages authenticate with their session themselves (and send the
    /// signed-out to the sign-in page rather than a 401).
    static func isConsole(_ path: String) -> Bool {
        path == "/" || path == "/ui" || path.hasPrefix("/ui/")
    }

    /// A console session may read the API (the console's pages follow events and
    /// operations with it) but never change anything through it: a request without an
    /// `Authorization` header that reads (GET, HEAD) with the session cookie.
    private func readingSession(_ request: Request) async throws -> ConsoleSessions.Session? {
        guard request.headers[.authorization] == nil, request.method == .get || request.method == .head,
            let secret = request.cookies[ConsoleSessions.cookieName]?.value
        else { return nil }
        guard let session = await sessions.session(secret: secret) else {
            throw KennelError(.unauthorized, "the console session has ended: sign in again")
        }
        return session
    }

    /// The token of an `Authorization: Bearer …` header (scheme case-insensitive); nil
    /// without one, "" for another scheme (refused as not a Kennel token).
    static func bearer(in request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return "" }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
