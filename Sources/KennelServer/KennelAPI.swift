import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import KennelControl
import Logging

/// Builds Kennel's HTTP API; `kennel serve` and the tests use the same router.
public enum KennelAPI {
    /// Paths every client may read without a token (`/metrics` too, when open).
    public static let openPaths: Set<String> = ["/healthz", "/api/v1/openapi.json"]

    /// The router with every route, the error envelope, the same-origin check and
    /// authentication.
    public static func router(
        services: KennelServices, origins: OriginPolicy = OriginPolicy(bindHost: "127.0.0.1"), openMetrics: Bool = false,
        extensions: [any RouteExtension] = []
    ) -> Router<KennelRequestContext> {
        KennelMetrics.bootstrap()
        let router = Router(context: KennelRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(ErrorEnvelopeMiddleware())
        router.middlewares.add(RequestSizeMiddleware())
        router.middlewares.add(OriginMiddleware(policy: origins))
        router.middlewares.add(
            AuthenticationMiddleware(
                access: services.access, openPaths: openMetrics ? openPaths.union(["/metrics"]) : openPaths, sessions: services.sessions))
        let api = router.group("api/v1")
        let answer = OperationAnswer(operations: services.operations)
        MachineRoutes(service: services.machines, answer: answer).register(on: api)
        BandwidthRoutes(service: services.bandwidth, answer: answer).register(on: api)
        OperationRoutes(service: services.operations).register(on: api)
        AccessRoutes(service: services.access).register(on: api)
        SSHRoutes(keys: services.sshKeys, certificates: services.sshCertificates).register(on: api)
        GrantRoutes(grants: services.grants, bastion: services.bastion).register(on: api)
        AuditRoutes(service: services.audit).register(on: api)
        ImageRoutes(service: services.images).register(on: api)
        EventRoutes(service: services.events).register(on: api)
        InventoryRoutes(service: services.hosts, facts: services.hostFacts).register(on: api)
        PlacementRoutes(service: services.placement).register(on: api)
        PoolRoutes(service: services.pools).register(on: api)
        ImportRoutes(service: services.imports, answer: answer).register(on: api)
        router.get("healthz") { _, _ in "ok\n" }
        router.get("api/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.json())))
        }
        router.get("metrics") { _, context in
            var text = KennelMetrics.render(try await InventorySnapshot.read(services))
            if let usage = services.usage {
                // A token sees its teams' machines only; open metrics show every one.
                text += MachineUsageMetrics.render(try await usage.snapshot(readBy: context.principal), now: Date())
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        for routes in extensions { routes.register(on: router) }
        return router
    }

    /// The HTTP parser's limits sit far above `RequestSizeMiddleware`'s, so that an
    /// over-long URL or header gets the envelope (414/431) rather than the parser's bare
    /// 400; only requests beyond 1 MiB of headers get that.
    static var httpConfiguration: HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            idleTimeout: .seconds(300),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 1 << 20, maxHeaderListSize: 1 << 20, maxHeaderFieldCount: 256))
    }

    /// The application serving the API on `host`:`port`.
    public static func application(
        services: KennelServices, host: String, port: Int, publicHosts: [String] = [], openMetrics: Bool = false,
        extensions: [any RouteExtension] = [], logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(
                services: services, origins: OriginPolicy(bindHost: host, publicHosts: publicHosts), openMetrics: openMetrics,
                extensions: extensions),
            server: .http1(configuration: httpConfiguration),
            configuration: .init(address: .hostname(host, port: port), serverName: "kennel"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
