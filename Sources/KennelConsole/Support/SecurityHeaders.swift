import Hummingbird

/// The headers every console response carries: scripts, styles and forms from Kennel
/// only, never framed, never cached, no MIME sniffing, no referrer to other sites.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    private static let frameOptions = HTTPFields.Element.Name("X-Frame-Options")
    private static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")

    /// `response` with the console's security headers added.
    static func applied(to response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        if let frameOptions { response.headers[frameOptions] = "DENY" }
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy { response.headers[referrerPolicy] = "same-origin" }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
