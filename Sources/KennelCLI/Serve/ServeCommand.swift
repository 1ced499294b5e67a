import ArgumentParser
import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelServer
import Logging

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

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard demo || site != nil else { throw ValidationError("give --site FILE, or --demo for the demo site") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        _ = try BindAddress.parse(bind)
    }

    func run() async throws {
        var logger = Logger(label: "kennel")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let settings = ServeSettings(
            siteFile: URL(fileURLWithPath: site ?? "Ops/demo/site.json"),
            dataDirectory: URL(fileURLWithPath: data ?? "kennel-data")
        )
        let control = try await ControlPlane.start(settings, logger: logger)
        let (host, port) = try BindAddress.parse(bind)
        let announcer = logger
        let app = KennelAPI.application(services: control.services, host: host, port: port, logger: logger) { port in
            announcer.notice("kennel.listening", metadata: ["address": "http://\(host):\(port)"])
        }
        try await app.runService()
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
