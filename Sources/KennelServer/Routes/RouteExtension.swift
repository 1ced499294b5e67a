import Hummingbird

/// Routes another module adds to the API's router (the console): registered after the
/// API's own, under the same middleware (metrics, envelope, sizes, same origin).
public protocol RouteExtension: Sendable {
    /// Adds the routes (and their own middleware, on their groups) to `router`.
    func register(on router: Router<KennelRequestContext>)
}
