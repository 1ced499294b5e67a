import CoreMetrics
import Foundation
import KennelControl
import KennelModel
import Prometheus
import Synchronization

/// Kennel's Prometheus metrics: swift-metrics is bootstrapped once per process with a
/// Prometheus backend; Hummingbird's `MetricsMiddleware` and the services record through
/// swift-metrics, and `/metrics` adds the inventory gauges (read from one snapshot at
/// scrape time) before it renders the registry.
public enum KennelMetrics {
    /// The process's registry.
    public static let registry = PrometheusCollectorRegistry()

    /// Bootstraps swift-metrics with the Prometheus backend; only the first call acts.
    public static func bootstrap() { _ = bootstrapped }

    private static let bootstrapped: Bool = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (prometheusName(name), labels.map { (prometheusLabel($0.0), $0.1) }) }
        MetricsSystem.bootstrap(factory)
        return true
    }()

    /// Hummingbird's metric names, and any other dotted name, in Prometheus' spelling.
    static func prometheusName(_ name: String) -> String {
        switch name {
        case "hb.requests": "kennel_http_requests_total"
        case "hb.request.errors": "kennel_http_request_errors_total"
        case "http.server.request.duration": "kennel_http_request_duration_seconds"
        case "http.server.active_requests": "kennel_http_active_requests"
        default: name.replacingOccurrences(of: ".", with: "_")
        }
    }

    static func prometheusLabel(_ label: String) -> String {
        switch label {
        case "http.route": "route"
        case "http.request.method": "method"
        case "http.response.status_code": "status"
        default: label.replacingOccurrences(of: ".", with: "_")
        }
    }

    /// The gauge `kennel_NAME` with `labels`.
    private static func gauge(_ name: String, _ labels: [(String, String)], help: String) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "kennel", metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// Held while a scrape sets the inventory gauges and renders them: two scrapes at once
    /// would otherwise show a mix of both snapshots.
    private static let rendering = Mutex(())

    /// Sets the inventory gauges from `inventory`, then renders every metric, as one step.
    static func render(_ inventory: InventorySnapshot) -> String {
        rendering.withLock { _ in setGaugesAndEmit(inventory) }
    }

    private static func setGaugesAndEmit(_ inventory: InventorySnapshot) -> String {
        for state in MachineState.allCases {
            gauge("machines", [("state", state.rawValue)], help: "Machines by state.").set(Double(inventory.machines[state] ?? 0))
        }
        for pool in inventory.pools {
            for (kind, value) in [
                ("size", pool.usage.size), ("used", pool.usage.used), ("quarantined", pool.usage.quarantined), ("free", pool.usage.free),
            ] {
                gauge("pool_addresses", [("pool", pool.pool.name.value), ("kind", kind)], help: "Addresses of a pool by use.")
                    .set(Double(value))
            }
        }
        for host in inventory.hosts {
            let capacity = host.host.schedulable
            let resources: [(String, Double, Double)] = [
                ("cpus", Double(capacity.cpus), Double(host.used.cpus)),
                ("memory_bytes", Double(capacity.memory.bytes), Double(host.used.memory.bytes)),
                ("disk_bytes", Double(capacity.disk.bytes), Double(host.used.disk.bytes)),
            ]
            for (resource, offered, used) in resources {
                let labels = [("host", host.host.name.value), ("resource", resource)]
                gauge("host_capacity", labels, help: "What a host offers after overcommit.").set(offered)
                gauge("host_allocated", labels, help: "What a host's machines reserve.").set(used)
            }
        }
        return registry.emitToString()
    }
}

/// What the inventory gauges show, read at scrape time.
struct InventorySnapshot: Sendable {
    var machines: [MachineState: Int] = [:]
    var pools: [PoolDetails] = []
    var hosts: [HostDetails] = []

    static func read(_ services: KennelServices) async throws -> InventorySnapshot {
        var snapshot = InventorySnapshot()
        for machine in try await services.machines.list() { snapshot.machines[machine.state, default: 0] += 1 }
        snapshot.pools = try await services.pools.list()
        snapshot.hosts = try await services.hosts.list()
        return snapshot
    }
}
