import Hummingbird

/// Every path the API serves and its methods, so that a known path asked with another
/// method answers 405 with `Allow` (the router alone says 404). `HEAD` is served wherever
/// `GET` is. A test holds this table and the router together.
enum RouteTable {
    static let routes: [(pattern: [String], methods: [HTTPRequest.Method])] = table.map { path, methods in
        (pattern: path.split(separator: "/").map(String.init), methods: methods)
    }

    private static let table: [(String, [HTTPRequest.Method])] = [
        ("api/v1/machines", [.get, .post]),
        ("api/v1/machines/:name", [.get, .delete]),
        ("api/v1/machines/:name/start", [.post]),
        ("api/v1/machines/:name/stop", [.post]),
        ("api/v1/machines/:name/restart", [.post]),
        ("api/v1/machines/:name/resize", [.post]),
        ("api/v1/machines/:name/limits", [.post]),
        ("api/v1/machines/:name/verify-bandwidth", [.post]),
        ("api/v1/hosts", [.get, .post]),
        ("api/v1/hosts/:name", [.get, .patch, .delete]),
        ("api/v1/topology", [.get]),
        ("api/v1/idcs", [.post]),
        ("api/v1/zones", [.post]),
        ("api/v1/racks", [.post]),
        ("api/v1/placement/explain", [.get]),
        ("api/v1/services/:service/spread", [.get]),
        ("api/v1/pools", [.get, .post]),
        ("api/v1/pools/:name", [.get, .patch, .delete]),
        ("api/v1/pools/:name/leases", [.get]),
        ("api/v1/operations", [.get]),
        ("api/v1/operations/:id", [.get, .delete]),
        ("api/v1/whoami", [.get]),
        ("api/v1/users", [.get, .post]),
        ("api/v1/users/:name", [.get, .patch, .delete]),
        ("api/v1/users/:name/keys", [.get, .post, .delete]),
        ("api/v1/known_hosts", [.get]),
        ("api/v1/ssh/certificates", [.post]),
        ("api/v1/ssh/ca", [.get]),
        ("api/v1/grants", [.get, .post]),
        ("api/v1/grants/:id", [.delete]),
        ("api/v1/imports/plan", [.post]),
        ("api/v1/imports", [.post]),
        ("api/v1/imports/:id/rows", [.get]),
        ("api/v1/export", [.get]),
        ("api/v1/bastion/config", [.get]),
        ("api/v1/teams", [.get, .post]),
        ("api/v1/teams/:name", [.get, .delete]),
        ("api/v1/teams/:name/members", [.post]),
        ("api/v1/teams/:name/members/:user", [.delete]),
        ("api/v1/tokens", [.get, .post]),
        ("api/v1/tokens/:id", [.delete]),
        ("api/v1/audit", [.get]),
        ("api/v1/images/prune", [.post]),
        ("api/v1/events", [.get]),
        ("api/v1/openapi.json", [.get]),
        ("healthz", [.get]),
        ("metrics", [.get]),
    ]

    /// The methods `path` is served with (HEAD included where GET is); empty when the
    /// path is unknown.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let components = path.split(separator: "/").map(String.init)
        guard let route = routes.first(where: { matches($0.pattern, components) }) else { return [] }
        return route.methods.contains(.get) ? route.methods + [.head] : route.methods
    }

    private static func matches(_ pattern: [String], _ components: [String]) -> Bool {
        pattern.count == components.count && zip(pattern, components).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
