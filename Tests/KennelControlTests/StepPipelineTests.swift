import KennelControl
import Testing

/// Records what the steps did, in order.
actor StepLog {
    private(set) var entries: [String] = []
    func add(_ entry: String) { entries.append(entry) }
}

struct StepBroke: Error {}

@Suite("Lifecycle steps as a pipeline with an undo stack")
struct StepPipelineTests {
    private func pipeline(failingAt failing: Int?, log: StepLog, withoutUndo: Set<Int> = []) -> StepPipeline {
        StepPipeline(
            (0..<4).map { index in
                LifecycleStep(
                    "step \(index)",
                    run: {
                        await log.add("run \(index)")
                        if index == failing { throw StepBroke() }
                    },
                    undo: withoutUndo.contains(index) ? nil : { @Sendable in await log.add("undo \(index)") })
            })
    }

    @Test("a failure at each step unwinds exactly the steps done, last first, the failed one included", arguments: [0, 1, 2, 3])
    func unwindsInReverse(failing: Int) async throws {
        let log = StepLog()
        await #expect {
            try await pipeline(failingAt: failing, log: log).run()
        } throws: { error in
            guard let failure = error as? StepFailure else { return false }
            return failure.step == "step \(failing)" && failure.position == failing && failure.cause is StepBroke
                && failure.undone == (0...failing).reversed().map { "step \($0)" }
        }
        let runs = (0...failing).map { "run \($0)" }
        let undos = (0...failing).reversed().map { "undo \($0)" }
        #expect(await log.entries == runs + undos)
    }

    @Test("steps without an undo are skipped when unwinding; a clean run undoes nothing")
    func withoutUndo() async throws {
        let log = StepLog()
        await #expect(throws: StepFailure.self) { try await pipeline(failingAt: 3, log: log, withoutUndo: [1, 3]).run() }
        #expect(await log.entries == ["run 0", "run 1", "run 2", "run 3", "undo 2", "undo 0"])
        let clean = StepLog()
        try await pipeline(failingAt: nil, log: clean).run()
        #expect(await clean.entries == ["run 0", "run 1", "run 2", "run 3"])
    }

    @Test("every start, end, failure and undo is recorded in order")
    func events() async throws {
        let events = EventLog()
        await #expect(throws: StepFailure.self) {
            try await pipeline(failingAt: 1, log: StepLog()).run { await events.add($0) }
        }
        #expect(
            await events.entries == [
                .started(position: 0, name: "step 0"), .finished(position: 0, name: "step 0"),
                .started(position: 1, name: "step 1"), .failed(position: 1, name: "step 1", cause: "StepBroke()"),
                .undone(position: 1, name: "step 1"), .undone(position: 0, name: "step 0"),
            ])
    }
}

actor EventLog {
    private(set) var entries: [StepEvent] = []
    func add(_ event: StepEvent) { entries.append(event) }
}
