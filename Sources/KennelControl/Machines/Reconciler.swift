import KennelModel
import Logging
import Metrics

/// Makes hosts match the store: a machine the store says runs is defined and running on
/// its host (a crashed container is started again); a create or delete interrupted by a
/// crash of Kennel is finished. It never removes a domain the store does not know about.
public struct Reconciler: Sendable {
    /// What one pass did.
    public struct Report: Sendable, Equatable {
        /// Machines whose domain was missing or stopped and was brought back.
        public var restored: [Hostname] = []
        /// Machines whose interrupted delete was completed.
        public var finishedDeletes: [Hostname] = []
        /// Running machines whose port rules or shaping were put back.
        public var networkRepaired: [Hostname] = []
        /// Running machines whose view of the host's cgroups was still writable (libvirt
        /// restarted them by itself) and was made read-only.
        public var confined: [Hostname] = []
        /// Machines that could not be repaired, with the reason.
        public var failures: [Hostname: String] = [:]

        public init() {}
    }

    /// Which machines a pass looks at.
    public enum Scope: Sendable {
        /// At start-up, when no request is under way: also machines left half-created or
        /// half-deleted by a crash.
        case startup
        /// While serving: only machines that should run; steps under way are their
        /// requests' business.
        case running
    }

    private let store: any MachineStore
    private let runtime: any HostRuntime
    private let locks: MachineLocks
    private let environment: ServiceEnvironment
    private let events: EventLog?
    private let logger: Logger

    /// Creates a reconciler over a store and a host runtime; what it finds and repairs is
    /// published to `events`.
    public init(
        store: any MachineStore, runtime: any HostRuntime, locks: MachineLocks = MachineLocks(),
        environment: ServiceEnvironment = .live, events: EventLog? = nil, logger: Logger
    ) {
        self.events = events
        self.store = store
        self.runtime = runtime
        self.locks = locks
        self.environment = environment
        self.logger = logger
    }

    /// One pass over every machine in `scope`: one listing of running containers per
    /// host, compared with the store's machines of that host; only the machines that
    /// differ (or, at start-up, are half-created or half-deleted) are looked at one by
    /// one, under their lock.
    public func reconcile(_ scope: Scope = .startup) async throws -> Report {
        let hosts = Dictionary(uniqueKeysWithValues: try await store.hosts().map { ($0.name, $0) })
        // Imported machines were never built: there is nothing on a host to compare.
        let inScope = try await store.machines().filter { $0.state != .imported && (scope == .startup || $0.state == .running) }
        var report = Report()
        Counter(label: "kennel_reconcile_passes_total", dimensions: [("scope", scope == .startup ? "startup" : "running")]).increment()
        for (hostName, machines) in Dictionary(grouping: inScope, by: \.host).sorted(by: { $0.key < $1.key }) {
            guard let host = hosts[hostName] else {
                for machine in machines { report.failures[machine.name] = "host \(hostName) is not in the inventory" }
                continue
            }
            let running: Set<String>?
            do {
                running = try await runtime.runningMachineNames(on: host)
            } catch {
                logger.warning("reconcile.listing-failed", metadata: ["host": "\(hostName)", "error": "\(error)"])
                running = nil
            }
            for listed in machines where !(listed.state == .running && running?.contains(listed.name.value) == true) {
                await reconcileOne(listed, on: host, scope: scope, into: &report)
            }
            if let running {
                await confineContainers(on: host, limiting: machines, into: &report)
                await repairNetworks(of: machines.filter { $0.state == .running && running.contains($0.name.value) }, on: host, into: &report)
            }
        }
        return report
    }

    /// Looks at one machine that differs from its host, under its lock.
    private func reconcileOne(_ listed: Machine, on host: ComputeHost, scope: Scope, into report: inout Report) async {
        do {
            let outcome = try await locks.withLock(listed.name) {
                // Read again under the lock: a request may have changed it meanwhile.
                guard let machine = try await store.machine(named: listed.name),
                    scope == .startup || machine.state == .running
                else { return Outcome.unchanged }
                return try await reconcile(machine, on: host)
            }
            switch outcome {
            case .restored: report.restored.append(listed.name)
            case .deleted: report.finishedDeletes.append(listed.name)
            case .unchanged: break
            }
        } catch {
            report.failures[listed.name] = "\(error)"
            logger.error("reconcile.failed", metadata: ["machine": "\(listed.name)", "error": "\(error)"])
        }
    }

    private enum Outcome: Sendable { case restored, deleted, unchanged }

    /// Every running container on the host keeps its cgroup mounts read-only: one that
    /// libvirt restarted by itself (a reboot inside, a crash) gets them locked here, while
    /// its init waits for that before starting anything.
    private func confineContainers(on host: ComputeHost, limiting machines: [Machine], into report: inout Report) async {
        do {
            let confined = try await runtime.confineContainers(on: host, machines: machines)
            for name in confined {
                Counter(label: "kennel_reconcile_drift_total", dimensions: [("found", "confinement")]).increment()
                logger.notice("reconcile.confined", metadata: ["machine": "\(name)", "host": "\(host.name)"])
            }
            report.confined += confined
        } catch {
            logger.warning("reconcile.confine-failed", metadata: ["host": "\(host.name)", "error": "\(error)"])
        }
    }

    /// One check of the host for running machines whose port rules or shaping went
    /// missing; each found is repaired under its lock, if it still runs by then.
    private func repairNetworks(of machines: [Machine], on host: ComputeHost, into report: inout Report) async {
        guard !machines.isEmpty else { return }
        let drifted: Set<Hostname>
        do {
            drifted = try await runtime.driftedNetwork(of: machines, on: host)
        } catch {
            logger.warning("reconcile.network-check-failed", metadata: ["host": "\(host.name)", "error": "\(error)"])
            return
        }
        for name in drifted.sorted(by: { $0.value < $1.value }) {
            do {
                let repaired = try await locks.withLock(name) {
                    guard let machine = try await store.machine(named: name), machine.state == .running else { return false }
                    try await runtime.repairNetwork(of: machine, on: host)
                    Counter(label: "kennel_reconcile_drift_total", dimensions: [("found", "network")]).increment()
                    Counter(label: "kennel_reconcile_repaired_total").increment()
                    await events?.publish("machine.drift", machine: name, team: machine.team, data: ["found": "network", "host": host.name.value])
                    return true
                }
                if repaired {
                    report.networkRepaired.append(name)
                    logger.notice("reconcile.network-repaired", metadata: ["machine": "\(name)", "host": "\(host.name)"])
                }
            } catch {
                report.failures[name] = "\(error)"
                logger.error("reconcile.network-repair-failed", metadata: ["machine": "\(name)", "error": "\(error)"])
            }
        }
    }

    private func reconcile(_ machine: Machine, on host: ComputeHost) async throws -> Outcome {
        switch machine.state {
        case .running, .provisioning, .pending:
            let presence = try await runtime.presence(of: machine, on: host)
            guard presence != .running else {
                if machine.state != .running { try await setState(.running, of: machine.name) }
                return .unchanged
            }
            if machine.state == .running {
                Counter(label: "kennel_reconcile_drift_total", dimensions: [("found", presence.rawValue)]).increment()
                await events?.publish(
                    presence == .absent ? "machine.drift" : "machine.crashed", machine: machine.name, team: machine.team,
                    data: ["found": presence.rawValue, "host": host.name.value])
            }
            try await runtime.ensureRunning(try await store.launch(of: machine, at: environment.now()), on: host)
            try await setState(.running, of: machine.name)
            logger.notice("reconcile.restored", metadata: ["machine": "\(machine.name)", "host": "\(host.name)"])
            await events?.publish("machine.restarted", machine: machine.name, team: machine.team, data: ["host": host.name.value])
            Counter(label: "kennel_reconcile_repaired_total").increment()
            return .restored
        case .deleting:
            try await runtime.remove(machine, from: host)
            let now = environment.now()
            try await store.transaction { store in try store.deleteMachine(named: machine.name, releasingAt: now) }
            await events?.publish("machine.deleted", machine: machine.name, team: machine.team, data: ["by": "reconciler"])
            return .deleted
        case .stopped, .failed, .imported:
            return .unchanged
        }
    }

    private func setState(_ state: MachineState, of name: Hostname) async throws {
        try await store.transaction { store in try store.setState(state, failure: nil, of: name) }
    }
}
