import Foundation
import KennelModel
import Logging

/// How long lifecycle steps may take on a host.
public struct LifecycleTimeouts: Sendable, Equatable {
    /// From start until sshd answers; a create or start that exceeds it fails.
    public var sshd: Duration
    /// From the shutdown request until the container is stopped hard.
    public var shutdown: Duration

    public init(sshd: Duration = .seconds(60), shutdown: Duration = .seconds(30)) {
        self.sshd = sshd
        self.shutdown = shutdown
    }
}

/// Creates, starts, stops, restarts, lists and deletes machines: the store holds the
/// truth, the host runtime makes hosts match it. Steps on one machine never overlap
/// (`MachineLocks`, shared with the reconciler).
public struct MachineService: Sendable {
    private let store: any MachineStore
    private let runtime: any HostRuntime
    private let images: any ImageCatalog
    private let locks: MachineLocks
    private let timeouts: LifecycleTimeouts
    private let environment: ServiceEnvironment
    private let logger: Logger

    /// Creates the service over a store and a host runtime.
    public init(
        store: any MachineStore, runtime: any HostRuntime, images: any ImageCatalog, locks: MachineLocks = MachineLocks(),
        timeouts: LifecycleTimeouts = LifecycleTimeouts(), environment: ServiceEnvironment = .live, logger: Logger
    ) {
        self.store = store
        self.runtime = runtime
        self.images = images
        self.locks = locks
        self.timeouts = timeouts
        self.environment = environment
        self.logger = logger
    }

    /// Places, addresses and starts a new machine, and waits for its sshd.
    ///
    /// The machine's lock is taken before the claim, so a delete of the same name waits
    /// until the create has finished (and then deletes), and a create never answers for a
    /// machine that is gone. The claim (placement, address, row) is one transaction; the
    /// host steps follow. If a host step fails, what was done on the host is undone, the
    /// machine is kept as `failed` (its address stays reserved until it is deleted, then
    /// comes back at once, since it never carried traffic), and `host_failure` is thrown.
    public func create(_ request: MachineRequest) async throws -> Machine {
        let image = try await images.image(named: request.spec.image)
        guard request.spec.disk >= image.minimumDisk else {
            throw KennelError.invalid(
                "disk", "\(request.spec.disk) cannot hold image \(request.spec.image), which needs at least \(image.minimumDisk)")
        }
        return try await locks.withLock(request.name) {
            let claim = MachineClaim(request: request, uuid: environment.makeUUID(), now: environment.now())
            let now = environment.now()
            let (machine, operation) = try await store.transaction { store in
                let machine = try claim.run(in: store)
                let operation = try store.beginOperation(.create, machine: machine.name, at: now)
                return (machine, operation)
            }
            logger.info(
                "machine.claimed",
                metadata: [
                    "machine": "\(machine.name)", "host": "\(machine.host)", "ip": "\(machine.network.ip)",
                ])
            let host = try await host(named: machine.host)
            try await run(try await steps.bringUp(machine, on: host, undoable: true), operation: operation, of: machine)
            return try await finish(operation, settingState: .running, of: machine)
        }
    }

    /// Starts a stopped (or failed) machine with the same identity, address and files,
    /// and waits for its sshd. Starting a running machine changes nothing.
    public func start(named name: Hostname) async throws -> Machine {
        try await locks.withLock(name) {
            let (machine, operation) = try await begin(.start, on: name)
            let host = try await host(named: machine.host)
            try await run(try await steps.bringUp(machine, on: host, undoable: false), operation: operation, of: machine)
            return try await finish(operation, settingState: .running, of: machine)
        }
    }

    /// Shuts a machine down (gracefully, then hard after the shutdown timeout) and keeps
    /// it stopped: the reconciler leaves it alone until it is started again.
    public func stop(named name: Hostname) async throws -> Machine {
        try await locks.withLock(name) {
            let (machine, operation) = try await begin(.stop, on: name)
            let host = try await host(named: machine.host)
            try await run(steps.stop(machine, on: host), operation: operation, of: machine)
            return try await finish(operation, settingState: .stopped, of: machine)
        }
    }

    /// Stops then starts a machine, as a reboot of a VM would.
    public func restart(named name: Hostname) async throws -> Machine {
        try await locks.withLock(name) {
            let (machine, operation) = try await begin(.restart, on: name)
            let host = try await host(named: machine.host)
            try await run(
                steps.shutDown(machine, on: host) + (try await steps.bringUp(machine, on: host, undoable: false)), operation: operation, of: machine)
            return try await finish(operation, settingState: .running, of: machine)
        }
    }

    /// Every machine, by name.
    public func list() async throws -> [Machine] { try await store.machines() }

    /// One machine, or `not_found`.
    public func machine(named name: Hostname) async throws -> Machine {
        guard let machine = try await store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        return machine
    }

    /// What runs inside a machine (nil on simulated hosts). A host that cannot be asked
    /// answers nil rather than failing the read.
    public func health(of machine: Machine) async -> MachineHealth? {
        guard machine.state == .running || machine.state == .stopped else { return nil }
        do {
            return try await runtime.health(of: machine, on: try await host(named: machine.host))
        } catch {
            logger.warning("machine.health-unknown", metadata: ["machine": "\(machine.name)", "error": "\(error)"])
            return nil
        }
    }

    /// Removes a machine from its host, then its row and lease. Safe to repeat and to
    /// race: the second of two concurrent deletes finds nothing left to do.
    public func delete(named name: Hostname) async throws {
        try await locks.withLock(name) {
            let started = environment.now()
            let (machine, operation) = try await store.transaction { store in
                guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
                try store.setState(.deleting, failure: nil, of: name)
                return (machine, try store.beginOperation(.delete, machine: name, at: started))
            }
            try await run(steps.remove(machine, from: try await host(named: machine.host)), operation: operation, of: machine)
            let finished = environment.now()
            try await store.transaction { store in
                try store.deleteMachine(named: name, releasingAt: finished)
                try store.finishOperation(operation, error: nil, code: nil, at: finished)
            }
            logger.info("machine.deleted", metadata: ["machine": "\(name)", "ip": "\(machine.network.ip)"])
        }
    }

    /// The steps of each lifecycle action.
    private var steps: MachineSteps {
        MachineSteps(store: store, runtime: runtime, timeouts: timeouts, logger: logger)
    }

    /// Runs `steps` for `operation`, recording each step; a failure unwinds the steps
    /// done and is recorded on the machine and the operation (`OperationRecorder`).
    private func run(_ steps: [LifecycleStep], operation: Int64, of machine: Machine) async throws {
        let recorder = OperationRecorder(store: store, environment: environment, logger: logger)
        do {
            try await StepPipeline(steps).run { event in await recorder.record(event, of: operation) }
        } catch let failure as StepFailure {
            try await recorder.fail(machine, operation: operation, failure: failure)
        }
    }

    private func begin(_ kind: OperationKind, on name: Hostname) async throws -> (Machine, Int64) {
        let now = environment.now()
        return try await store.transaction { store in
            guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
            guard machine.state != .deleting else {
                throw KennelError(.conflict, "machine \(name) is being deleted")
            }
            return (machine, try store.beginOperation(kind, machine: name, at: now))
        }
    }

    private func finish(_ operation: Int64, settingState state: MachineState, of machine: Machine) async throws -> Machine {
        let finished = environment.now()
        try await store.transaction { store in
            try store.setState(state, failure: nil, of: machine.name)
            try store.finishOperation(operation, error: nil, code: nil, at: finished)
        }
        logger.info("machine.\(state.rawValue)", metadata: ["machine": "\(machine.name)", "host": "\(machine.host)"])
        var updated = machine
        updated.state = state
        updated.failure = nil
        return updated
    }

    private func host(named name: Hostname) async throws -> ComputeHost {
        guard let host = try await store.host(named: name) else {
            throw KennelError(.internal, "machine placed on unknown host \(name)")
        }
        return host
    }
}

/// A machine's sshd stayed silent for the whole start timeout: Kennel's own finding,
/// safe to tell the client as it is.
struct SSHDidNotAnswer: Error, CustomStringConvertible {
    let ip: IPv4Address
    let timeout: Duration

    var description: String { "sshd did not answer on \(ip) within \(timeout)" }
}
