import KennelModel

/// Which requests come from the service's own origin, so that a web page in an
/// operator's browser cannot drive the API (cross-site form posts, DNS rebinding).
///
/// - The `Host` header, when given, must name the service: the bind address, a loopback
///   address or `localhost`, one of the `--public-host` names, or — when bound to every
///   address (`0.0.0.0`) — any IP literal (a rebinding page always uses a domain name).
///   Otherwise 403.
/// - An `Origin` header must be the service's own: the same host and port as `Host`, or a
///   public host. `null` and anything else is 403.
/// - `Sec-Fetch-Site: cross-site` (or `same-site` from a sibling domain) is 403.
///
/// Clients that are not browsers (curl, the CLI) send neither `Origin` nor
/// `Sec-Fetch-Site`, and pass.
public struct OriginPolicy: Sendable, Equatable {
    /// Host names (lower-case, without port) the service answers to besides IP literals
    /// and `localhost`.
    public let names: Set<String>
    /// The `--public-host` names: pages served under them (a console behind a proxy)
    /// may call the API whatever `Host` the proxy sends.
    public let publicNames: Set<String>
    /// Bound to every address: any IP literal names the service.
    public let anyAddress: Bool

    /// The policy of a service bound to `bindHost`, also reached as `publicHosts` (names
    /// or `name:port`; the port is ignored).
    public init(bindHost: String, publicHosts: [String] = []) {
        let bind = Self.hostPart(of: bindHost.lowercased())
        anyAddress = ["", "0.0.0.0", "[::]", "*"].contains(bind)
        publicNames = Set(publicHosts.map { Self.hostPart(of: $0.lowercased()) }.filter { !$0.isEmpty })
        names = publicNames.union(["localhost", Self.hostPart(of: bindHost.lowercased())])
    }

    /// Why the request is refused, or nil when it may go on.
    public func refusal(host: String?, origin: String?, fetchSite: String?) -> String? {
        if let host {
            let name = Self.hostPart(of: host.lowercased())
            guard answers(to: name) else {
                return "this service does not answer to host '\(Echo.short(name))'; start it with --public-host \(Echo.short(name)) to allow it"
            }
        }
        if let fetchSite, !["same-origin", "none"].contains(fetchSite.lowercased()) {
            return "cross-site requests are refused (Sec-Fetch-Site: \(Echo.short(fetchSite)))"
        }
        if let origin {
            let lowered = origin.lowercased()
            guard let authority = Self.authority(ofOrigin: lowered) else {
                return "requests from origin '\(Echo.short(origin))' are refused"
            }
            let sameAsHost = host.map { authority == $0.lowercased() } ?? false
            let isPublic = publicNames.contains(Self.hostPart(of: authority))
            guard sameAsHost || isPublic else {
                return "requests from origin '\(Echo.short(origin))' are refused; only the service's own pages may call it"
            }
        }
        return nil
    }

    private func answers(to name: String) -> Bool {
        if names.contains(name) || name == "[::1]" { return true }
        if let address = try? IPv4Address(parsing: name) { return anyAddress || address.value >> 24 == 127 }
        return anyAddress && Self.isIPv6Literal(name)
    }

    /// `http://host:port` → `host:port`; nil for `null` or anything that is not an origin.
    static func authority(ofOrigin origin: String) -> String? {
        for scheme in ["http://", "https://"] where origin.hasPrefix(scheme) {
            let rest = origin.dropFirst(scheme.count)
            guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
            return String(rest)
        }
        return nil
    }

    /// The host of `host[:port]` or `[v6]:port`.
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.startIndex...end])
        }
        if authority.filter({ $0 == ":" }).count > 1 { return "[\(authority)]" }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    private static func isIPv6Literal(_ name: String) -> Bool {
        name.hasPrefix("[") && name.hasSuffix("]") && name.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
