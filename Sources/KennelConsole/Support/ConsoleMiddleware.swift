import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// In front of every console page: the session (signed-out visitors go to the sign-in
/// page), the form token on every POST, the security headers, and errors shown as pages.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = KennelRequestContext

    let services: KennelServices
    let pages: ConsolePages

    /// The largest form body a console page accepts (an import upload has its own limit).
    static let maximumFormSize = 1 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        do {
            if !Self.isOpen(request.uri.path) {
                guard let secret = request.cookies[ConsoleSessions.cookieName]?.value, let session = await services.sessions.session(secret: secret)
                else { return SecurityHeaders.applied(to: ConsoleAnswers.signIn(returningTo: request)) }
                do {
                    context.principal = try await services.access.authenticate(tokenHash: session.tokenHash)
                } catch let error as KennelError where error.code == .unauthorized {
                    await services.sessions.close(secret: secret)
                    return SecurityHeaders.applied(to: ConsoleAnswers.signIn(returningTo: request))
                }
                context.consoleSession = session
                if request.method == .post { try await Self.checkFormToken(&request, expected: session.formToken) }
            }
            return SecurityHeaders.applied(to: try await next(request, context))
        } catch let error as KennelError {
            return SecurityHeaders.applied(to: pages.error(error, context: context))
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return SecurityHeaders.applied(
                to: pages.error(KennelError(.notFound, "There is no such page: \(Echo.short(request.uri.path, limit: 80))"), context: context))
        }
    }

    /// The sign-in page and the static files need no session.
    static func isOpen(_ path: String) -> Bool {
        path == "/ui/login" || path.hasPrefix("/ui/static/")
    }

    /// Refuses a POST whose form does not carry the session's token in `csrf`; the body
    /// is kept in the request for the route to read.
    static func checkFormToken(_ request: inout Request, expected: String) async throws {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let presented: String?
        if contentType.hasPrefix("multipart/form-data") {
            // Only the import page uploads files; its token is a field of the upload.
            guard ImportPage.uploadPaths.contains(request.uri.path) else {
                throw KennelError(.badRequest, "this console form takes no file upload")
            }
            let body = try await request.collectBody(upTo: ImportUpload.maximumSize)
            presented = try MultipartForm.field("csrf", in: body, contentType: request.headers[.contentType] ?? "")
        } else {
            guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
                throw KennelError(.badRequest, "the console takes forms (application/x-www-form-urlencoded), not \(Echo.short(contentType))")
            }
            let body = try await request.collectBody(upTo: maximumFormSize)
            presented = try FormEncoding.pairs(from: String(buffer: body)).first { $0.name == "csrf" }?.value
        }
        guard let presented, ConsoleSessions.sameToken(presented, expected) else {
            throw KennelError(
                .forbidden,
                "This form has no valid token (it is older than your session, or came from another page). Reload the page and send it again.")
        }
    }
}
