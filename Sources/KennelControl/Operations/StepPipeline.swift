import KennelModel

/// One named, idempotent step of a lifecycle action, with what undoes it.
public struct LifecycleStep: Sendable {
    /// The step's name as operations show it: `start on host`, `wait for sshd`.
    public let name: String
    let run: @Sendable () async throws -> Void
    let undo: (@Sendable () async throws -> Void)?

    /// A step; `undo`, when given, reverts what `run` did.
    public init(_ name: String, run: @escaping @Sendable () async throws -> Void, undo: (@Sendable () async throws -> Void)? = nil) {
        self.name = name
        self.run = run
        self.undo = undo
    }
}

/// What a pipeline tells its recorder as it goes.
public enum StepEvent: Sendable, Equatable {
    case started(position: Int, name: String)
    case finished(position: Int, name: String)
    case failed(position: Int, name: String, cause: String)
    case undone(position: Int, name: String)
    case undoFailed(position: Int, name: String, cause: String)
}

/// A step failed: which one, its cause (kept whole, not only as text), and the steps
/// undone because of it, in the order they were undone.
public struct StepFailure: Error, Sendable {
    public let step: String
    public let position: Int
    public let cause: any Error
    public let undone: [String]
}

/// Runs steps in order; when one fails, undoes the steps done so far in reverse (LIFO),
/// the failed one first if it has an undo (a step may fail half-way), and throws
/// `StepFailure`. Every start, end, failure and undo goes to `record`.
public struct StepPipeline: Sendable {
    public let steps: [LifecycleStep]

    public init(_ steps: [LifecycleStep]) { self.steps = steps }

    public func run(record: @Sendable (StepEvent) async -> Void = { _ in }) async throws {
        var done: [(position: Int, step: LifecycleStep)] = []
        for (position, step) in steps.enumerated() {
            await record(.started(position: position, name: step.name))
            do {
                try await step.run()
            } catch {
                await record(.failed(position: position, name: step.name, cause: "\(error)"))
                let undone = await unwind(done + [(position, step)], record: record)
                throw StepFailure(step: step.name, position: position, cause: error, undone: undone)
            }
            await record(.finished(position: position, name: step.name))
            done.append((position, step))
        }
    }

    private func unwind(_ done: [(position: Int, step: LifecycleStep)], record: @Sendable (StepEvent) async -> Void) async -> [String] {
        var undone: [String] = []
        for (position, step) in done.reversed() {
            guard let undo = step.undo else { continue }
            do {
                try await undo()
                undone.append(step.name)
                await record(.undone(position: position, name: step.name))
            } catch {
                await record(.undoFailed(position: position, name: step.name, cause: "\(error)"))
            }
        }
        return undone
    }
}
