import Foundation
import KennelModel

/// Reads, waits for and cancels operations, and ends those a restart interrupted.
public struct OperationService: Sendable {
    private let store: any MachineStore
    private let environment: ServiceEnvironment
    private let events: EventLog?
    /// The background operations, for a graceful shutdown.
    public let tracker: OperationTracker
    /// How often a waiter reads the store again when no event rings.
    private let recheck: Duration

    public init(
        store: any MachineStore, tracker: OperationTracker, events: EventLog? = nil, environment: ServiceEnvironment = .live,
        recheck: Duration = .seconds(1)
    ) {
        self.events = events
        self.recheck = recheck
        self.store = store
        self.tracker = tracker
        self.environment = environment
    }

    /// One operation; `forbidden` when its machine is not the requester's to see.
    public func operation(id: Int64, by requester: Requester = .system) async throws -> OperationRecord {
        guard let operation = try await store.snapshot({ store in try store.operation(id: id) }) else {
            throw KennelError.notFound("operation", "\(id)")
        }
        try requester.principal.requireRead("operation", "\(id)", team: operation.team)
        var read = operation
        if !operation.state.isFinal { read.progress = tracker.progress.count(of: id) }
        return read
    }

    /// Operations matching `query`, newest first; non-admins see their teams' only.
    public func list(_ query: OperationQuery, by requester: Requester = .system) async throws -> [OperationRecord] {
        var query = query
        if !requester.principal.isAdmin { query.teams = requester.principal.teams }
        return try await store.snapshot { [query] store in try store.operations(query) }
    }

    /// The operation once it has ended, or as it stands after `timeout`. It reads the
    /// store again when the event log rings (every state change publishes an event), and
    /// at least once a second in case an event could not be recorded.
    public func wait(id: Int64, upTo timeout: Duration, by requester: Requester = .system) async throws -> OperationRecord {
        var operation = try await self.operation(id: id, by: requester)
        guard !operation.state.isFinal else { return operation }
        let deadline = ContinuousClock.now + timeout
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var forwarding: Task<Void, Never>?
        var subscription: UUID?
        if let events {
            let (id, rings) = await events.subscribe()
            subscription = id
            forwarding = Task {
                for await _ in rings { wake.yield() }
            }
        }
        let ticking = Task { [recheck] in
            do {
                while ContinuousClock.now < deadline {
                    try await Task.sleep(until: min(deadline, ContinuousClock.now + recheck))
                    wake.yield()
                }
            } catch {}
            wake.finish()
        }
        defer {
            ticking.cancel()
            forwarding?.cancel()
            wake.finish()
        }
        do {
            for await _ in wakeups {
                operation = try await self.operation(id: id, by: requester)
                if operation.state.isFinal || ContinuousClock.now >= deadline { break }
            }
        } catch {
            if let events, let subscription { await events.unsubscribe(subscription) }
            throw error
        }
        if let events, let subscription { await events.unsubscribe(subscription) }
        return operation
    }

    /// Cancels an operation that has not started; 409 once it runs or has ended.
    public func cancel(id: Int64, by requester: Requester = .system) async throws -> OperationRecord {
        let now = environment.now()
        let cancelled = try await store.transaction { store in
            guard let operation = try store.operation(id: id) else { throw KennelError.notFound("operation", "\(id)") }
            try requester.principal.requireChange("operation", "\(id)", team: operation.team)
            guard try store.cancelOperation(id, at: now) else {
                throw KennelError(.conflict, "operation \(id) is \(operation.state); only a pending operation can be cancelled")
            }
            let after = try store.operation(id: id) ?? operation
            try AuditTrail(requester: requester, at: now, operation: id)
                .record("operation.cancel", "operation", "\(id)", before: OperationSummary(operation), after: OperationSummary(after), in: store)
            return after
        }
        await events?.publish(
            "operation.cancelled", machine: cancelled.machine, team: cancelled.team, operation: id, data: ["kind": cancelled.kind.rawValue])
        return cancelled
    }

    /// At start-up: every operation left pending or running by the previous process is
    /// failed, "interrupted by restart", and the probe addresses of bandwidth self-tests it
    /// left are freed; the reconciler then brings each machine in line.
    public func interruptUnfinished() async throws -> [OperationRecord] {
        let now = environment.now()
        return try await store.transaction { store in
            _ = try store.releaseAllProbeAddresses()
            return try store.interruptUnfinishedOperations(at: now)
        }
    }
}

/// What the audit log keeps of an operation.
struct OperationSummary: Encodable {
    let id: Int64
    let kind: String
    let machine: String
    let state: String

    init(_ operation: OperationRecord) {
        id = operation.id
        kind = operation.kind.rawValue
        machine = operation.machine.value
        state = operation.state.rawValue
    }
}
