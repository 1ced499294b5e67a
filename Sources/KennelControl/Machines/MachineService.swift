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
/// truth, the host runtime makes hosts match it. Every change is an operation: checked
/// and recorded at once (a bad request fails before anything is accepted), then run in
/// the background in its machine's turn (`MachineLocks`, shared with the reconciler), so
/// steps on one machine never overlap and run in the order they were asked for.
public struct MachineService: Sendable {
    let store: any MachineStore
    let runtime: any HostRuntime
    let images: any ImageCatalog
    let locks: MachineLocks
    let timeouts: LifecycleTimeouts
    let environment: ServiceEnvironment
    let logger: Logger
    let launcher: OperationLauncher
    let events: EventLog

    /// Creates the service over a store and a host runtime.
    public init(
        store: any MachineStore, runtime: any HostRuntime, images: any ImageCatalog, locks: MachineLocks = MachineLocks(),
        tracker: OperationTracker = OperationTracker(), events: EventLog? = nil, timeouts: LifecycleTimeouts = LifecycleTimeouts(),
        environment: ServiceEnvironment = .live, logger: Logger
    ) {
        let events = events ?? EventLog(store: store, environment: environment, logger: logger)
        self.events = events
        self.store = store
        self.runtime = runtime
        self.images = images
        self.locks = locks
        self.timeouts = timeouts
        self.environment = environment
        self.logger = logger
        self.launcher = OperationLauncher(
            store: store, locks: locks, tracker: tracker, events: events, environment: environment, logger: logger)
    }

    /// Accepts a new machine: checks the request, then claims its name, host and address
    /// in one transaction (with a pending `create` operation and its audit entry), and
    /// returns. The host steps run in the background: prepare files, start the container,
    /// wait for sshd. If one fails, what was done on the host is undone, the machine is
    /// kept as `failed` (its address stays reserved until it is deleted, then comes back
    /// at once, since it never carried traffic), and the operation fails with
    /// `host_failure`.
    public func submitCreate(_ request: MachineRequest, by requester: Requester = .system) async throws -> OperationHandle {
        try await launcher.tracker.admit()
        let image = try await images.image(named: request.spec.image)
        guard request.spec.disk >= image.minimumDisk else {
            throw KennelError.invalid(
                "disk", "\(request.spec.disk) cannot hold image \(request.spec.image), which needs at least \(image.minimumDisk)")
        }
        var request = request
        request.team = try requester.principal.teamForNewMachine(asked: request.team)
        let ticket = await locks.enqueue(request.name)
        let claimed: (machine: Machine, operation: Int64)
        do {
            let claim = MachineClaim(request: request, uuid: environment.makeUUID(), now: environment.now())
            let now = environment.now()
            claimed = try await store.transaction { store in
                let machine = try claim.run(in: store)
                let operation = try store.beginOperation(
                    .create, machine: machine.name, team: machine.team, requestedBy: requester.user.value, state: .pending, at: now)
                try AuditTrail(requester: requester, at: now, operation: operation)
                    .record("machine.create", "machine", machine.name.value, after: machine, in: store)
                return (machine, operation)
            }
        } catch {
            await locks.release(ticket)
            throw error
        }
        let (machine, operation) = claimed
        let claimedRequest = request
        await events.publish(
            "machine.created", machine: machine.name, team: machine.team, operation: operation,
            data: ["host": machine.host.value, "ip": machine.network.ip.description])
        logger.info(
            "machine.claimed",
            metadata: ["machine": "\(machine.name)", "host": "\(machine.host)", "ip": "\(machine.network.ip)", "operation": "\(operation)"])
        return await launcher.launch(.create, id: operation, machine: machine.name, ticket: ticket) { [self] in
            // Read again under the lock: a delete that took its ticket before this claim
            // but found the machine after it runs first, and must not be undone by
            // building the machine's domain and files once its row is gone.
            guard let current = try await store.machine(named: machine.name), current.uuid == machine.uuid else {
                throw KennelError(.conflict, "machine \(machine.name) was deleted before operation \(operation) ran")
            }
            let host = try await host(named: machine.host)
            let bringUp = try await steps.bringUp(machine, on: host, undoable: true)
            do {
                try await launcher.start(operation, steps: bringUp.count)
            } catch let error as KennelError where error == OperationLauncher.cancelled(operation) {
                let now = environment.now()
                try await store.transaction { store in
                    try store.deleteMachine(named: machine.name, releasingAt: now)
                    try AuditTrail(requester: requester, at: now, operation: operation)
                        .record("machine.delete", "machine", machine.name.value, before: machine, in: store)
                }
                throw error
            }
            let built = try await bringUpRescheduling(machine, request: claimedRequest, operation: operation, by: requester, first: bringUp)
            return try await finish(operation, settingState: .running, of: built, action: nil, by: requester)
        }
    }

    /// Creates a machine and waits until its sshd answers (or the create fails).
    public func create(_ request: MachineRequest, by requester: Requester = .system) async throws -> Machine {
        try await Self.machine(of: try await submitCreate(request, by: requester))
    }

    /// Every machine the requester may see, by name.
    public func list(by requester: Requester = .system) async throws -> [Machine] {
        try await store.machines().filter { requester.principal.canRead(team: $0.team) }
    }

    /// One machine, or `not_found`; `forbidden` when it is not the requester's to see.
    public func machine(named name: Hostname, by requester: Requester = .system) async throws -> Machine {
        guard let machine = try await store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        try requester.principal.requireRead("machine", name.value, team: machine.team)
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

    /// The steps of each lifecycle action.
    var steps: MachineSteps {
        MachineSteps(store: store, runtime: runtime, timeouts: timeouts, environment: environment, logger: logger)
    }

    /// Runs `steps` for `operation`, recording each step; a failure unwinds the steps
    /// done and is recorded on the machine, the operation and the audit log.
    func run(_ steps: [LifecycleStep], operation: Int64, of machine: Machine, action: String, by requester: Requester) async throws {
        let recorder = OperationRecorder(store: store, events: events, environment: environment, logger: logger)
        do {
            try await StepPipeline(steps).run { event in await recorder.record(event, of: operation, machine: machine) }
        } catch let failure as StepFailure {
            if action == "machine.create", let refusal = Self.refusal(failure, of: steps) {
                throw HostRefusedCreate(refusal: refusal)
            }
            try await recorder.fail(machine, operation: operation, failure: failure, action: action, by: requester)
        }
    }

    /// The host's refusal that failed `steps` (`no_capacity`), when every step done up to
    /// it was undone, so that nothing of the machine is left on the host; nil otherwise.
    static func refusal(_ failure: StepFailure, of steps: [LifecycleStep]) -> KennelError? {
        guard let refusal = failure.cause as? KennelError, refusal.code == .noCapacity else { return nil }
        let undoable = steps.prefix(failure.position + 1).filter { $0.undo != nil }.map(\.name)
        return undoable.allSatisfy(failure.undone.contains) ? refusal : nil
    }

    /// Sets the machine's final state and finishes the operation, auditing `action` (nil
    /// when the change was audited when it was accepted).
    func finish(
        _ operation: Int64, settingState state: MachineState, of machine: Machine, action: String?, by requester: Requester
    ) async throws -> Machine {
        let finished = environment.now()
        var updated = machine
        updated.state = state
        updated.failure = nil
        try await store.transaction { [updated] store in
            try store.setState(state, failure: nil, of: machine.name)
            try store.finishOperation(operation, state: .succeeded, failure: nil, at: finished)
            if let action {
                try AuditTrail(requester: requester, at: finished, operation: operation)
                    .record(action, "machine", machine.name.value, before: machine, after: updated, in: store)
            }
        }
        logger.info("machine.\(state.rawValue)", metadata: ["machine": "\(machine.name)", "host": "\(machine.host)"])
        let type = state == .running ? "machine.started" : "machine.\(state.rawValue)"
        await events.publish(type, machine: machine.name, team: machine.team, operation: operation, data: ["state": state.rawValue])
        return updated
    }

    func host(named name: Hostname) async throws -> ComputeHost {
        guard let host = try await store.host(named: name) else {
            throw KennelError(.internal, "machine placed on unknown host \(name)")
        }
        return host
    }

    /// The machine an operation left, for the waiting forms of the actions.
    static func machine(of handle: OperationHandle) async throws -> Machine {
        guard let machine = try await handle.result() else { throw KennelError(.internal, "operation \(handle.id) ended without its machine") }
        return machine
    }
}

/// A machine's sshd stayed silent for the whole start timeout: Kennel's own finding,
/// safe to tell the client as it is.
struct SSHDidNotAnswer: Error, CustomStringConvertible {
    let ip: IPv4Address
    let timeout: Duration

    var description: String { "sshd did not answer on \(ip) within \(timeout)" }
}
