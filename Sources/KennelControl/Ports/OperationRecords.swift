import Foundation
import KennelModel

/// Operations: what was asked, by whom, how it ran, step by step, and how it ended.
public protocol OperationRecords {
    /// Records a new operation on `machine` (pending until its turn, or running at once).
    func beginOperation(
        _ kind: OperationKind, machine: Hostname, team: Hostname?, requestedBy: String, state: OperationState, at time: Date
    ) throws -> Int64
    /// Moves a pending operation to running with the number of steps it will run; false
    /// when it is not pending (cancelled).
    func startOperation(_ id: Int64, steps: Int, at time: Date) throws -> Bool
    /// Records the end of an operation.
    func finishOperation(_ id: Int64, state: OperationState, failure: OperationFailure?, at time: Date) throws
    /// Keeps what an operation produced (a bandwidth report), shown with it.
    func setResult(_ result: OperationResult, of id: Int64) throws
    /// Cancels a pending operation; false when it is not pending any more.
    func cancelOperation(_ id: Int64, at time: Date) throws -> Bool
    func operation(id: Int64) throws -> OperationRecord?
    /// Operations matching `query`, newest first.
    func operations(_ query: OperationQuery) throws -> [OperationRecord]
    /// Marks every pending or running operation failed, "interrupted by restart"; returns them.
    func interruptUnfinishedOperations(at time: Date) throws -> [OperationRecord]
    /// Records a step of an operation as it starts (position counts from 0).
    func beginStep(of operation: Int64, position: Int, name: String, at time: Date) throws
    /// Records how a step ended: `finished`, `failed` (with `error`) or `undone`.
    func endStep(of operation: Int64, position: Int, outcome: StepOutcome, error: String?, at time: Date) throws
    /// The steps of an operation, in order.
    func steps(of operation: Int64) throws -> [OperationStep]
}

/// The kinds of asynchronous work Kennel records.
public enum OperationKind: String, Sendable, Codable, CaseIterable, ParsableValue {
    case create, delete, reconcile, start, stop, restart, resize, limits
    /// A bandwidth self-test (`verify-bandwidth`): its report is the operation's result.
    case verifyBandwidth = "verify-bandwidth"
    /// An inventory import (`import`): its per-row outcome is the operation's result.
    case inventoryImport = "import"

    public init(parsing text: String) throws(InvalidValue) {
        guard let kind = OperationKind(rawValue: text) else {
            throw InvalidValue("'\(Echo.short(text))' is not an operation kind (\(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = kind
    }

    public var description: String { rawValue }
}

/// Where an operation stands.
public enum OperationState: String, Sendable, Codable, CaseIterable, ParsableValue {
    case pending, running, succeeded, failed, cancelled

    /// Whether the operation has ended.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    public init(parsing text: String) throws(InvalidValue) {
        guard let state = OperationState(rawValue: text) else {
            throw InvalidValue("'\(Echo.short(text))' is not an operation state (\(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = state
    }

    public var description: String { rawValue }
}

/// Why an operation failed: the code and sentence any reader may see, and the cause
/// (host output, paths) that only admins and the log see.
public struct OperationFailure: Sendable, Equatable {
    public let code: KennelError.Code
    public let message: String
    public let cause: String?

    public init(code: KennelError.Code, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The failure as the error envelope carries it.
    public var error: KennelError { KennelError(code, message) }
}

/// One operation as stored.
public struct OperationRecord: Sendable, Equatable {
    public let id: Int64
    public let kind: OperationKind
    public let machine: Hostname
    /// The machine's team when the operation was asked for (access to the operation).
    public let team: Hostname?
    public var state: OperationState
    public let requestedBy: String
    public let createdAt: Date
    public var finishedAt: Date?
    public var failure: OperationFailure?
    public var steps: [OperationStep]
    /// How many steps it runs (0 until it starts).
    public var totalSteps: Int
    /// What it produced beyond its machine (a bandwidth report), if anything.
    public var result: OperationResult?
    /// How far it is while it runs, for work counted in items (an import's rows); not
    /// stored, read from the running operation.
    public var progress: OperationProgress.Count?

    public init(
        id: Int64, kind: OperationKind, machine: Hostname, team: Hostname?, state: OperationState, requestedBy: String, createdAt: Date,
        finishedAt: Date?, failure: OperationFailure?, steps: [OperationStep], totalSteps: Int, result: OperationResult? = nil
    ) {
        self.totalSteps = totalSteps
        self.result = result
        self.id = id
        self.kind = kind
        self.machine = machine
        self.team = team
        self.state = state
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.failure = failure
        self.steps = steps
    }

    /// How many steps finished.
    public var stepsDone: Int { steps.filter { $0.outcome == .finished }.count }

    /// The step under way, if any.
    public var currentStep: String? { steps.last { $0.outcome == .running }?.name }
}

/// Which operations to list.
public struct OperationQuery: Sendable, Equatable {
    public var state: OperationState?
    public var machine: Hostname?
    public var kind: OperationKind?
    /// Only operations on machines of these teams; nil for every operation.
    public var teams: Set<Hostname>?
    public var limit: Int

    public init(
        state: OperationState? = nil, machine: Hostname? = nil, kind: OperationKind? = nil, teams: Set<Hostname>? = nil, limit: Int = 200
    ) {
        self.state = state
        self.machine = machine
        self.kind = kind
        self.teams = teams
        self.limit = limit
    }
}

/// How a recorded step ended.
public enum StepOutcome: String, Sendable, Codable {
    case running, finished, failed, undone
}

/// One recorded step of an operation.
public struct OperationStep: Sendable, Equatable {
    public let position: Int
    public let name: String
    public let outcome: StepOutcome
    public let error: String?
    public let startedAt: Date
    public let finishedAt: Date?

    public init(position: Int, name: String, outcome: StepOutcome, error: String?, startedAt: Date, finishedAt: Date?) {
        self.position = position
        self.name = name
        self.outcome = outcome
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
