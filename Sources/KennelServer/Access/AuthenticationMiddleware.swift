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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !openPaths.contains(request.uri.path) else { return try await next(request, context) }
        var context = context
        context.principal = try await access.authenticate(bearer: Self.bearer(in: request))
        return try await next(request, context)
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
