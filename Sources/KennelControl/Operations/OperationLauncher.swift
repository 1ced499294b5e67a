import KennelModel
import Logging
import Metrics

/// An accepted operation: its id, and the task that runs it in the background.
public struct OperationHandle: Sendable {
    public let id: Int64
    public let kind: OperationKind
    public let machine: Hostname
    let completion: Task<Machine?, any Error>

    /// Waits for the end: the machine as it is afterwards (nil after a delete), or the
    /// operation's error.
    public func result() async throws -> Machine? { try await completion.value }
}

/// The operations running in the background, so that a shutdown can refuse new ones
/// and let those under way finish within a bound.
public actor OperationTracker {
    private var running: [Int64: Task<Machine?, any Error>] = [:]
    private(set) var accepting = true
    /// How far the running operations that count items have come.
    public nonisolated let progress = OperationProgress()

    public init() {}

    /// Refuses new operations from now on (503 at the edge).
    public func stopAccepting() { accepting = false }

    /// Throws `unavailable` once the service is shutting down.
    func admit() throws {
        guard accepting else { throw KennelError(.unavailable, "Kennel is shutting down; try again when it is back") }
    }

    func insert(_ id: Int64, _ task: Task<Machine?, any Error>) { running[id] = task }
    func remove(_ id: Int64) { running[id] = nil }

    /// How many operations are under way.
    public var count: Int { running.count }

    /// Waits until every running operation has ended, or `timeout` has passed; returns
    /// the ids still running then.
    public func drain(timeout: Duration) async -> [Int64] {
        let deadline = ContinuousClock.now + timeout
        while !running.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return running.keys.sorted()
    }
}

/// Starts an operation's work once its machine's lock comes to it, and makes sure the
/// operation ends recorded whatever happens: a failure the work did not record itself
/// (a store error, a machine gone) finishes the operation as failed.
struct OperationLauncher: Sendable {
    let store: any MachineStore
    let locks: MachineLocks
    let tracker: OperationTracker
    let events: EventLog
    let environment: ServiceEnvironment
    let logger: Logger

    func launch(
        _ kind: OperationKind, id: Int64, machine: Hostname, ticket: MachineLocks.Ticket,
        _ work: @escaping @Sendable () async throws -> Machine?
    ) async -> OperationHandle {
        let locks = locks
        let tracker = tracker
        let task = Task {
            await locks.wait(for: ticket)
            let outcome: Result<Machine?, any Error>
            do {
                outcome = .success(try await work())
            } catch {
                await closeIfOpen(id, after: error)
                outcome = .failure(error)
            }
            await locks.release(ticket)
            tracker.progress.clear(id)
            await tracker.remove(id)
            await announceEnd(id, kind: kind, machine: machine)
            return try outcome.get()
        }
        await tracker.insert(id, task)
        return OperationHandle(id: id, kind: kind, machine: machine, completion: task)
    }

    /// Moves the operation to running with its number of steps; throws `cancelled` when
    /// it was cancelled while it waited.
    func start(_ id: Int64, steps: Int, also: (@Sendable (any StoreTransaction) throws -> Void)? = nil) async throws {
        let now = environment.now()
        let started = try await store.transaction { store -> OperationRecord? in
            guard try store.startOperation(id, steps: steps, at: now) else { return nil }
            try also?(store)
            return try store.operation(id: id)
        }
        guard let started else { throw Self.cancelled(id) }
        await events.publish(
            "operation.running", machine: started.machine, team: started.team, operation: id,
            data: ["kind": started.kind.rawValue, "steps_total": "\(steps)"])
    }

    /// Publishes how the operation ended, as the store has it.
    private func announceEnd(_ id: Int64, kind: OperationKind, machine: Hostname) async {
        guard let operation = try? await store.snapshot({ store in try store.operation(id: id) }) else { return }
        var data = ["kind": kind.rawValue, "state": operation.state.rawValue]
        if let failure = operation.failure {
            data["code"] = failure.code.rawValue
            data["message"] = failure.message
        }
        await events.publish("operation.\(operation.state.rawValue)", machine: machine, team: operation.team, operation: id, data: data)
        Counter(label: "kennel_operations_total", dimensions: [("kind", kind.rawValue), ("state", operation.state.rawValue)]).increment()
        if let finished = operation.finishedAt {
            Timer(label: "kennel_operation_duration_seconds", dimensions: [("kind", kind.rawValue)])
                .recordNanoseconds(Int64(max(0, finished.timeIntervalSince(operation.createdAt)) * 1_000_000_000))
        }
    }

    static func cancelled(_ id: Int64) -> KennelError {
        KennelError(.conflict, "operation \(id) was cancelled before it ran")
    }

    private func closeIfOpen(_ id: Int64, after error: any Error) async {
        let now = environment.now()
        let kennelError = error as? KennelError
        let failure = OperationFailure(
            code: kennelError?.code ?? .internal, message: kennelError?.message ?? "internal error; see the service log", cause: "\(error)")
        do {
            try await store.transaction { store in
                guard let operation = try store.operation(id: id), !operation.state.isFinal else { return }
                try store.finishOperation(id, state: .failed, failure: failure, at: now)
            }
        } catch {
            logger.error("operation.unrecorded-end", metadata: ["operation": "\(id)", "error": "\(error)"])
        }
    }
}
