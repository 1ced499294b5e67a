import Foundation
import KennelModel
import Logging

/// Creates, lists and deletes machines: the store holds the truth, the host runtime
/// makes hosts match it.
public struct MachineService: Sendable {
    private let store: any MachineStore
    private let runtime: any HostRuntime
    private let environment: ServiceEnvironment
    private let logger: Logger

    /// Creates the service over a store and a host runtime.
    public init(store: any MachineStore, runtime: any HostRuntime, environment: ServiceEnvironment = .live, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.environment = environment
        self.logger = logger
    }

    /// Places, addresses and starts a new machine.
    ///
    /// The claim (placement, address, row) is one transaction; the host steps follow. If a
    /// host step fails, what was done on the host is undone, the machine is kept as
    /// `failed` with the reason (its address stays reserved until it is deleted), and
    /// `host_failure` is thrown.
    public func create(_ request: MachineRequest) async throws -> Machine {
        let claim = MachineClaim(request: request, uuid: environment.makeUUID(), now: environment.now())
        let now = environment.now()
        let (machine, operation) = try await store.transaction { store in
            let machine = try claim.run(in: store)
            let operation = try store.beginOperation(.create, machine: machine.name, at: now)
            return (machine, operation)
        }
        logger.info("machine.claimed", metadata: [
            "machine": "\(machine.name)", "host": "\(machine.host)", "ip": "\(machine.network.ip)",
        ])
        let host = try await host(named: machine.host)
        do {
            try await runtime.ensureRunning(machine, on: host)
        } catch {
            try await fail(machine, on: host, operation: operation, error: error)
        }
        let finished = environment.now()
        try await store.transaction { store in
            try store.setState(.running, failure: nil, of: machine.name)
            try store.finishOperation(operation, error: nil, at: finished)
        }
        logger.info("machine.running", metadata: ["machine": "\(machine.name)", "host": "\(machine.host)"])
        var running = machine
        running.state = .running
        return running
    }

    /// Every machine, by name.
    public func list() async throws -> [Machine] { try await store.machines() }

    /// One machine, or `not_found`.
    public func machine(named name: Hostname) async throws -> Machine {
        guard let machine = try await store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        return machine
    }

    /// Removes a machine from its host, then its row and lease. Safe to repeat and to
    /// race: the second of two concurrent deletes finds nothing left to do.
    ///
    /// A machine still being provisioned cannot be deleted (409 `conflict`): its host
    /// steps would recreate what the delete removed.
    public func delete(named name: Hostname) async throws {
        let started = environment.now()
        let (machine, operation) = try await store.transaction { store in
            guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
            guard machine.state != .provisioning else {
                throw KennelError(.conflict, "machine \(name) is being provisioned; delete it once it is running or failed")
            }
            try store.setState(.deleting, failure: nil, of: name)
            return (machine, try store.beginOperation(.delete, machine: name, at: started))
        }
        do {
            try await runtime.remove(machine, from: try await host(named: machine.host))
        } catch {
            let reason = "removing from host \(machine.host) failed: \(error)"
            let finished = environment.now()
            try await store.transaction { store in
                try store.setState(.failed, failure: reason, of: name)
                try store.finishOperation(operation, error: reason, at: finished)
            }
            throw KennelError(.hostFailure, reason)
        }
        let finished = environment.now()
        try await store.transaction { store in
            try store.deleteMachine(named: name, releasingAt: finished)
            try store.finishOperation(operation, error: nil, at: finished)
        }
        logger.info("machine.deleted", metadata: ["machine": "\(name)", "ip": "\(machine.network.ip)"])
    }

    private func host(named name: Hostname) async throws -> ComputeHost {
        guard let host = try await store.host(named: name) else {
            throw KennelError(.internal, "machine placed on unknown host \(name)")
        }
        return host
    }

    private func fail(_ machine: Machine, on host: ComputeHost, operation: Int64, error: any Error) async throws -> Never {
        let reason = "starting on host \(host.name) failed: \(error)"
        logger.error("machine.failed", metadata: ["machine": "\(machine.name)", "reason": "\(reason)"])
        do {
            try await runtime.remove(machine, from: host)
        } catch {
            logger.error("machine.undo-failed", metadata: ["machine": "\(machine.name)", "error": "\(error)"])
        }
        let finished = environment.now()
        try await store.transaction { store in
            try store.setState(.failed, failure: reason, of: machine.name)
            try store.finishOperation(operation, error: reason, at: finished)
        }
        throw KennelError(.hostFailure, reason)
    }
}
