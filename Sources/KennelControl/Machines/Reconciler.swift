import KennelModel
import Logging

/// Makes hosts match the store: a machine the store says exists is defined on its host
/// (and started if it should run); a create or delete interrupted by a crash is finished.
/// It never removes a domain the store does not know about.
public struct Reconciler: Sendable {
    /// What one pass did.
    public struct Report: Sendable, Equatable {
        /// Machines whose domain was missing or stopped and was brought back.
        public var restored: [Hostname] = []
        /// Machines whose interrupted delete was completed.
        public var finishedDeletes: [Hostname] = []
        /// Machines that could not be repaired, with the reason.
        public var failures: [Hostname: String] = [:]
    }

    private let store: any MachineStore
    private let runtime: any HostRuntime
    private let environment: ServiceEnvironment
    private let logger: Logger

    /// Creates a reconciler over a store and a host runtime.
    public init(store: any MachineStore, runtime: any HostRuntime, environment: ServiceEnvironment = .live, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.environment = environment
        self.logger = logger
    }

    /// One pass over every machine.
    public func reconcile() async throws -> Report {
        let hosts = Dictionary(uniqueKeysWithValues: try await store.hosts().map { ($0.name, $0) })
        var report = Report()
        for machine in try await store.machines() {
            guard let host = hosts[machine.host] else {
                report.failures[machine.name] = "host \(machine.host) is not in the inventory"
                continue
            }
            do {
                try await reconcile(machine, on: host, into: &report)
            } catch {
                report.failures[machine.name] = "\(error)"
                logger.error("reconcile.failed", metadata: ["machine": "\(machine.name)", "error": "\(error)"])
            }
        }
        return report
    }

    private func reconcile(_ machine: Machine, on host: ComputeHost, into report: inout Report) async throws {
        switch machine.state {
        case .running, .provisioning, .pending:
            guard try await runtime.presence(of: machine, on: host) != .running else {
                if machine.state != .running { try await setState(.running, of: machine.name) }
                return
            }
            try await runtime.ensureRunning(machine, on: host)
            try await setState(.running, of: machine.name)
            report.restored.append(machine.name)
            logger.notice("reconcile.restored", metadata: ["machine": "\(machine.name)", "host": "\(host.name)"])
        case .deleting:
            try await runtime.remove(machine, from: host)
            let now = environment.now()
            try await store.transaction { store in try store.deleteMachine(named: machine.name, releasingAt: now) }
            report.finishedDeletes.append(machine.name)
        case .stopped, .failed:
            return
        }
    }

    private func setState(_ state: MachineState, of name: Hostname) async throws {
        try await store.transaction { store in try store.setState(state, failure: nil, of: name) }
    }
}
