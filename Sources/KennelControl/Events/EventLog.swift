import Foundation
import KennelModel
import Logging

/// Publishes events — operation progress and machine lifecycle — to the bounded log in
/// the store, and wakes the readers of `/api/v1/events`. Publishing never waits for a
/// reader: each reader has a doorbell that holds at most one ring, and reads the store
/// at its own pace.
public actor EventLog {
    private let store: any MachineStore
    private let environment: ServiceEnvironment
    private let logger: Logger
    /// How many events the log keeps; older ones are pruned.
    public let capacity: Int
    private var doorbells: [UUID: AsyncStream<Void>.Continuation] = [:]
    private var appended = 0

    public init(store: any MachineStore, environment: ServiceEnvironment = .live, capacity: Int = 10_000, logger: Logger) {
        self.store = store
        self.environment = environment
        self.capacity = capacity
        self.logger = logger
    }

    /// Records an event and rings every reader's doorbell. A store that cannot record it
    /// is logged, never fatal to the work that published it.
    public func publish(_ type: String, machine: Hostname?, team: Hostname?, operation: Int64? = nil, data: [String: String] = [:]) async {
        var payload = data
        payload["type"] = type
        if let machine { payload["machine"] = machine.value }
        if let operation { payload["operation"] = "\(operation)" }
        let json = Self.json(payload)
        let draft = EventDraft(type: type, machine: machine, operation: operation, team: team, data: json)
        let now = environment.now()
        appended += 1
        let prune = appended % max(1, min(200, capacity / 2)) == 0
        let capacity = capacity
        do {
            try await store.transaction { store in
                _ = try store.appendEvent(draft, at: now)
                if prune { try store.pruneEvents(keeping: capacity) }
            }
        } catch {
            logger.warning("event.unrecorded", metadata: ["type": "\(type)", "error": "\(error)"])
            return
        }
        for doorbell in doorbells.values { doorbell.yield() }
    }

    /// A doorbell rung after every new event (rings coalesce while unread); ends when
    /// the reader goes away.
    public func subscribe() -> (id: UUID, rings: AsyncStream<Void>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        doorbells[id] = continuation
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        doorbells.removeValue(forKey: id)?.finish()
    }

    /// Ends every reader's stream (on shutdown).
    public func closeAll() {
        for doorbell in doorbells.values { doorbell.finish() }
        doorbells = [:]
    }

    /// How many readers are connected.
    public var readers: Int { doorbells.count }

    static func json(_ payload: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Reads events for one client: what it may see, after the last id it had.
public struct EventService: Sendable {
    private let store: any MachineStore
    public let log: EventLog

    public init(store: any MachineStore, log: EventLog) {
        self.store = store
        self.log = log
    }

    /// The filter `requester` reads with: non-admins only their teams' events.
    public func filter(types: [String], machine: Hostname?, by requester: Requester) -> EventFilter {
        EventFilter(types: types, machine: machine, teams: requester.principal.isAdmin ? nil : requester.principal.teams)
    }

    /// Events after `id` that pass `filter`, and whether events the reader had not seen
    /// were already pruned (its `Last-Event-ID` is older than the log).
    public func events(after id: Int64, matching filter: EventFilter, limit: Int = 500) async throws -> (events: [KennelEvent], gap: Bool) {
        try await store.snapshot { store in
            let first = try store.firstEventID()
            let events = try store.events(after: id, matching: filter, limit: limit)
            return (events, first > 0 && id + 1 < first)
        }
    }

    /// The newest event id: where a reader without `Last-Event-ID` starts.
    public func lastID() async throws -> Int64 {
        try await store.snapshot { store in try store.lastEventID() }
    }
}
