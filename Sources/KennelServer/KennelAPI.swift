import Hummingbird
import KennelControl
import Logging

/// Builds Kennel's HTTP API; `kennel serve` and the tests use the same router.
public enum KennelAPI {
    /// The router with every route and the error envelope middleware.
    public static func router(services: KennelServices) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ErrorEnvelopeMiddleware())
        let api = router.group("api/v1")
        MachineRoutes(service: services.machines).register(on: api)
        InventoryRoutes(service: services.hosts).register(on: api)
        PlacementRoutes(service: services.placement).register(on: api)
        PoolRoutes(service: services.pools).register(on: api)
        router.get("healthz") { _, _ in "ok\n" }
        return router
    }

    /// The application serving the API on `host`:`port`.
    public static func application(
        services: KennelServices, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services),
            configuration: .init(address: .hostname(host, port: port), serverName: "kennel"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
