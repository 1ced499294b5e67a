import Foundation
import KennelControl
import KennelModel

/// An operation as the API shows it: `GET /api/v1/operations/{id}` and the body of a
/// 202 answer.
public struct OperationView: Codable, Sendable, Equatable {
    public let id: Int64
    public let kind: String
    /// The machine it acts on.
    public let target: String
    public let state: String
    /// The step under way, if any.
    public let currentStep: String?
    public let stepsDone: Int
    public let stepsTotal: Int
    public let steps: [StepView]
    /// The error envelope's content, when it failed.
    public let error: ErrorBody.Detail?
    /// What the host said (admins only).
    public let cause: String?
    public let requestedBy: String
    public let createdAt: Date
    public let finishedAt: Date?
    /// What it produced beyond its machine (a bandwidth report, an import's outcome).
    public let result: OperationResultView?
    /// Items done of a total while it runs, for work counted in items (an import's rows).
    public let progress: ProgressView?
    /// Where to read it.
    public let url: String

    enum CodingKeys: String, CodingKey {
        case id, kind, target, state, steps, error, cause, url, result, progress
        case currentStep = "current_step"
        case stepsDone = "steps_done"
        case stepsTotal = "steps_total"
        case requestedBy = "requested_by"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    /// The view of `operation`; `showCause` adds the host's own words (for admins).
    public init(_ operation: OperationRecord, showCause: Bool) {
        id = operation.id
        kind = operation.kind.rawValue
        target = operation.machine.value
        state = operation.state.rawValue
        currentStep = operation.currentStep
        stepsDone = operation.stepsDone
        stepsTotal = operation.totalSteps
        steps = operation.steps.map(StepView.init)
        error = operation.failure.map { ErrorBody($0.error).error }
        cause = showCause ? operation.failure?.cause : nil
        requestedBy = operation.requestedBy
        createdAt = operation.createdAt
        finishedAt = operation.finishedAt
        result = OperationResultView(operation)
        progress = operation.progress.map { ProgressView(done: $0.done, total: $0.total) }
        url = "/api/v1/operations/\(operation.id)"
    }
}

/// One step of an operation with its timings.
public struct StepView: Codable, Sendable, Equatable {
    public let name: String
    /// `running`, `finished`, `failed` or `undone`.
    public let outcome: String
    public let startedAt: Date
    public let finishedAt: Date?
    /// How long it took, in seconds (so far, while it runs).
    public let seconds: Double?

    enum CodingKeys: String, CodingKey {
        case name, outcome, seconds
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(_ step: OperationStep) {
        name = step.name
        outcome = step.outcome.rawValue
        startedAt = step.startedAt
        finishedAt = step.finishedAt
        seconds = step.finishedAt.map { ($0.timeIntervalSince(step.startedAt) * 1000).rounded() / 1000 }
    }
}

/// `GET /api/v1/operations`.
public struct OperationList: Codable, Sendable {
    public let operations: [OperationView]
    public let count: Int

    public init(_ operations: [OperationView]) {
        self.operations = operations
        count = operations.count
    }
}

/// How far a running operation has come, in items.
public struct ProgressView: Codable, Sendable, Equatable {
    public let done: Int
    public let total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}
