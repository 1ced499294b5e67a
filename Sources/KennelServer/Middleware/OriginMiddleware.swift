import Hummingbird
import KennelModel

/// Applies the `OriginPolicy` to every request: 403 `forbidden` before any route runs.
struct OriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: OriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority
        if let reason = policy.refusal(
            host: host, origin: request.headers[.origin], fetchSite: request.headers.first { $0.name.canonicalName == "sec-fetch-site" }?.value)
        {
            throw KennelError(.forbidden, reason)
        }
        return try await next(request, context)
    }
}
