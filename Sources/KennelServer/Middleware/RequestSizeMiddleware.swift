import Hummingbird
import KennelModel

/// Refuses over-long URLs (414) and header sections (431) with the error envelope,
/// before any route runs. Kennel's own URLs are short; these limits sit well below
/// the HTTP parser's own (80 KiB), which would close the connection with a bare 400.
struct RequestSizeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The longest path and query accepted.
    static var maximumURLLength: Int { 8 * 1024 }
    /// The largest header section accepted (names and values).
    static var maximumHeaderBytes: Int { 16 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let url = request.uri.string
        if url.utf8.count > Self.maximumURLLength {
            throw RequestTooLarge(status: .uriTooLong, message: "the URL is longer than \(Self.maximumURLLength / 1024) KiB")
        }
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        if headerBytes > Self.maximumHeaderBytes {
            throw RequestTooLarge(status: .requestHeaderFieldsTooLarge, message: "the headers are larger than \(Self.maximumHeaderBytes / 1024) KiB")
        }
        return try await next(request, context)
    }
}

/// A request refused for its size, answered with its own status and `request_too_large`.
struct RequestTooLarge: Error {
    let status: HTTPResponse.Status
    let message: String
}
