import Foundation
import KennelModel

/// The bounded event log behind `/api/v1/events`.
public protocol EventRecords {
    /// Appends an event; returns its id (ids only grow).
    func appendEvent(_ event: EventDraft, at time: Date) throws -> Int64
    /// Events after `id` matching `filter`, oldest first, at most `limit`.
    func events(after id: Int64, matching filter: EventFilter, limit: Int) throws -> [KennelEvent]
    /// The id of the newest event (0 when there is none).
    func lastEventID() throws -> Int64
    /// The id of the oldest event kept (0 when there is none).
    func firstEventID() throws -> Int64
    /// Drops all but the newest `count` events.
    func pruneEvents(keeping count: Int) throws
}

/// An event to record.
public struct EventDraft: Sendable, Equatable {
    public let type: String
    public let machine: Hostname?
    public let operation: Int64?
    /// The machine's team, so that non-admins see only theirs.
    public let team: Hostname?
    /// The event's payload as a JSON object.
    public let data: String

    public init(type: String, machine: Hostname?, operation: Int64?, team: Hostname?, data: String) {
        self.type = type
        self.machine = machine
        self.operation = operation
        self.team = team
        self.data = data
    }
}

/// A recorded event.
public struct KennelEvent: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let type: String
    public let machine: Hostname?
    public let operation: Int64?
    public let team: Hostname?
    public let data: String

    public init(id: Int64, at: Date, type: String, machine: Hostname?, operation: Int64?, team: Hostname?, data: String) {
        self.id = id
        self.at = at
        self.type = type
        self.machine = machine
        self.operation = operation
        self.team = team
        self.data = data
    }
}

/// Which events a reader wants and may see.
public struct EventFilter: Sendable, Equatable {
    /// Event types (`operation.step`) or prefixes ending in `.` (`machine.`); empty for all.
    public var types: [String]
    public var machine: Hostname?
    /// Only events of these teams' machines; nil for every event (admins).
    public var teams: Set<Hostname>?

    public init(types: [String] = [], machine: Hostname? = nil, teams: Set<Hostname>? = nil) {
        self.types = types
        self.machine = machine
        self.teams = teams
    }

    /// Whether `event` passes the filter.
    public func admits(_ event: KennelEvent) -> Bool {
        if let machine, event.machine != machine { return false }
        if let teams, !(event.team.map(teams.contains) ?? false) { return false }
        guard !types.isEmpty else { return true }
        return types.contains { $0.hasSuffix(".") ? event.type.hasPrefix($0) : event.type == $0 }
    }
}
