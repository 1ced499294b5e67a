import ArgumentParser
import Foundation
import Hummingbird
import KennelConsole
import KennelControl
import KennelModel
import KennelServer
import Logging
import ServiceLifecycle

/// `kennel serve`: runs the control service (HTTP API) until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Kennel control service.",
        discussion: """
            With --demo: SQLite under ./kennel-data, the demo site from Ops/demo/site.json, \
            every host simulated by libvirt's test driver.
            """
    )

    @Flag(help: "Run on embedded defaults: demo site, simulated hosts, ./kennel-data.")
    var demo = false

    @Option(help: ArgumentHelp("Site file (topology, hosts, pools).", valueName: "path"))
    var site: String?

    @Option(help: ArgumentHelp("Directory for the database and simulated hosts.", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port"))
    var bind: String = "127.0.0.1:8080"

    @Option(
        name: .customLong("public-host"),
        help: ArgumentHelp(
            "A name clients reach the API by, besides the bind address, localhost and IP addresses (repeatable).", valueName: "name"))
    var publicHosts: [String] = []

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    @Option(help: ArgumentHelp("Image store that machines' images come from.", valueName: "dir"))
    var images: String = "/var/lib/kennel/images"

    @Option(name: .customLong("remote-kennel"), help: ArgumentHelp("The kennel binary on remote hosts.", valueName: "path"))
    var remoteKennel: String = "/usr/local/bin/kennel"

    @Option(name: .customLong("ssh-timeout"), help: ArgumentHelp("Seconds a start may wait for the machine's sshd.", valueName: "seconds"))
    var sshTimeout: Int = 60

    @Option(name: .customLong("shutdown-timeout"), help: ArgumentHelp("Seconds a stop waits before stopping hard.", valueName: "seconds"))
    var shutdownTimeout: Int = 30

    @Option(
        name: .customLong("reconcile-every"),
        help: ArgumentHelp(
            "Seconds between passes that restart crashed machines (0: only at start-up).", valueName: "seconds"))
    var reconcileEvery: Double = 10

    @Option(
        name: .customLong("drain-timeout"),
        help: ArgumentHelp("Seconds operations under way may take to finish after SIGTERM or SIGINT.", valueName: "seconds"))
    var drainTimeout: Int = 60

    @Option(
        name: .customLong("bastion-keys"),
        help: ArgumentHelp(
            "Keep the bastion's authorized_keys here (who may forward to which machines; see Ops/bastion).", valueName: "path"))
    var bastionKeys: String?

    @Option(
        name: .customLong("bastion-reload"),
        help: ArgumentHelp(
            "A program run with the --bastion-keys path after each write (e.g. one that copies it to the bastion host).",
            valueName: "program"))
    var bastionReload: String?

    @Flag(name: .customLong("open-metrics"), help: "Serve /metrics without a token (e.g. to a Prometheus on a trusted network).")
    var openMetrics = false

    func validate() throws {
        guard demo || site != nil else { throw ValidationError("give --site FILE, or --demo for the demo site") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        _ = try BindAddress.parse(bind)
        guard sshTimeout > 0 else { throw ValidationError("--ssh-timeout: give a number of seconds above 0") }
        guard shutdownTimeout >= 0 else { throw ValidationError("--shutdown-timeout: give a number of seconds, 0 or more") }
        guard reconcileEvery >= 0, reconcileEvery.isFinite else { throw ValidationError("--reconcile-every: give seconds, 0 or more") }
        guard bastionReload == nil || bastionKeys != nil else { throw ValidationError("--bastion-reload: give --bastion-keys too") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout: give a number of seconds, 0 or more") }
    }

    func run() async throws {
        var logger = Logger(label: "kennel")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let settings = ServeSettings(
            siteFile: URL(fileURLWithPath: site ?? "Ops/demo/site.json"),
            dataDirectory: URL(fileURLWithPath: data ?? "kennel-data"),
            imagesDirectory: images,
            remoteKennel: remoteKennel,
            timeouts: LifecycleTimeouts(sshd: .seconds(sshTimeout), shutdown: .seconds(shutdownTimeout)),
            bastionKeys: bastionKeys,
            bastionReload: bastionReload
        )
        KennelMetrics.bootstrap()
        let control = try await ControlPlane.start(settings, logger: logger)
        let (host, port) = try BindAddress.parse(bind)
        let announcer = logger
        let console = try ConsoleRoutes(services: control.services)
        let app = KennelAPI.application(
            services: control.services, host: host, port: port, publicHosts: publicHosts, openMetrics: openMetrics, extensions: [console],
            logger: logger
        ) { port in
            announcer.notice("kennel.listening", metadata: ["address": "http://\(host):\(port)"])
        }
        // Shut down last to first: the drain stops new operations and lets running ones
        // finish, the event log closes its streams, the HTTP server ends its requests,
        // then the reconciler stops.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if reconcileEvery > 0 {
            services.append(
                .init(
                    service: ReconcileLoopService(
                        reconciler: control.services.reconciler, bastion: control.services.bastion,
                        interval: .milliseconds(Int(reconcileEvery * 1000)), logger: logger),
                    successTerminationBehavior: .ignore))
        }
        services.append(.init(service: AccessUpkeepService(upkeep: control.services.accessUpkeep), successTerminationBehavior: .ignore))
        services.append(.init(service: app))
        services.append(.init(service: EventLogService(log: control.services.events.log, logger: logger), successTerminationBehavior: .ignore))
        services.append(
            .init(
                service: OperationDrainService(tracker: control.services.operations.tracker, timeout: .seconds(drainTimeout), logger: logger),
                successTerminationBehavior: .ignore))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("kennel.stopped")
    }
}

/// `host:port` for --bind.
enum BindAddress {
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), colon != text.startIndex
        else { throw ValidationError("--bind: expected host:port, such as 127.0.0.1:8080, not '\(text)'") }
        return (String(text[..<colon]), port)
    }
}
