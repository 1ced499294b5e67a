import Foundation
import KennelControl
import KennelLibvirt
import KennelModel
import KennelStore
import Logging

/// Where `serve` keeps its state and finds its site.
struct ServeSettings: Sendable {
    var siteFile: URL
    var dataDirectory: URL

    var databasePath: String { dataDirectory.appendingPathComponent("kennel.sqlite").path }
    var simulatedHostsDirectory: URL { dataDirectory.appendingPathComponent("simulated-hosts") }
    var machinesRoot: String { dataDirectory.appendingPathComponent("machines").standardizedFileURL.path }
}

/// The assembled control plane: store, libvirt runtime and services, with the site
/// loaded and hosts reconciled against the store.
struct ControlPlane: Sendable {
    let store: SQLiteMachineStore
    let runtime: LibvirtHostRuntime
    let services: KennelServices

    /// Opens the store, loads the site, and brings every host in line with the store
    /// (after a restart, simulated hosts are empty and get their machines back).
    static func start(_ settings: ServeSettings, logger: Logger) async throws -> ControlPlane {
        try FileManager.default.createDirectory(at: settings.dataDirectory, withIntermediateDirectories: true)
        let config = try SiteConfig.load(from: settings.siteFile)
        let site = try config.resolve { entry in
            try SimulatedHost.prepare(
                name: entry.name, cpus: entry.cpus, memory: entry.memory, in: settings.simulatedHostsDirectory
            )
        }
        let store = try SQLiteMachineStore(path: settings.databasePath)
        let runtime = LibvirtHostRuntime(paths: HostPaths(machinesRoot: settings.machinesRoot), logger: logger)
        let services = KennelServices(store: store, runtime: runtime, logger: logger)
        try await services.inventory.apply(site)
        let report = try await services.reconciler.reconcile()
        logger.notice("kennel.started", metadata: [
            "database": "\(settings.databasePath)", "hosts": "\(site.hosts.count)", "pools": "\(site.pools.count)",
            "restored": "\(report.restored.count)", "reconcile_failures": "\(report.failures.count)",
        ])
        for (machine, reason) in report.failures {
            logger.error("reconcile.failure", metadata: ["machine": "\(machine)", "reason": "\(reason)"])
        }
        return ControlPlane(store: store, runtime: runtime, services: services)
    }
}
