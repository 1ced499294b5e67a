import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// `/ui/login` and `/ui/logout`: a token is exchanged for a session cookie (`HttpOnly`,
/// `SameSite=Strict`, `Secure` behind TLS); signing out ends the session.
struct SignInPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Model {
        let next: String
        let error: String?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("login") { request, context in
            try show(next: request.uri.queryParameters["next"].map(String.init), error: nil, context: context)
        }
        group.post("login", use: signIn)
        group.post("logout", use: signOut)
    }

    private func show(next: String?, error: String?, context: Context, status: HTTPResponse.Status = .ok) throws -> Response {
        let model = Model(next: ReturnPath.checked(next) ?? "", error: error)
        return try pages.render("login", title: "Sign in", page: model, context: context, section: "", status: status)
    }

    @Sendable func signIn(request: Request, context: Context) async throws -> Response {
        let pairs = try await ConsoleForm.pairs(of: request)
        let token = pairs.first { $0.name == "token" }?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let next = pairs.first { $0.name == "next" }?.value
        let principal: Principal
        do {
            principal = try await services.access.authenticate(bearer: token)
        } catch let error as KennelError where error.code == .unauthorized {
            return try show(next: next, error: "That token was not accepted: \(error.message).", context: context, status: .unauthorized)
        }
        guard let secret = TokenSecret(presented: token) else { throw KennelError(.internal, "an accepted token has no secret's shape") }
        let (cookieValue, session) = await services.sessions.open(tokenHash: secret.sha256, tokenExpiresAt: principal.credentialExpiresAt)
        var response = ConsoleAnswers.redirect(ReturnPath.checked(next) ?? "/ui/machines")
        response.setCookie(
            Cookie(
                name: ConsoleSessions.cookieName, value: cookieValue, expires: session.expiresAt, path: "/", secure: Self.isSecure(request),
                httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signOut(request: Request, context: Context) async throws -> Response {
        if let secret = request.cookies[ConsoleSessions.cookieName]?.value { await services.sessions.close(secret: secret) }
        var response = ConsoleAnswers.redirect("/ui/login")
        response.setCookie(
            Cookie(
                name: ConsoleSessions.cookieName, value: "", maxAge: 0, path: "/", secure: Self.isSecure(request), httpOnly: true,
                sameSite: .strict))
        return response
    }

    /// Whether the browser reached Kennel over TLS (directly, or through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || forwardedProto.flatMap { request.headers[$0] }?.lowercased() == "https"
    }

    private static let forwardedProto = HTTPFields.Element.Name("X-Forwarded-Proto")
}
