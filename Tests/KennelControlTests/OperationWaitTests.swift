import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Long-polls wake on the event log")
struct OperationWaitTests {
    @Test(
        "a waiter whose store re-read is an hour away still sees the operation end at once: its events ring it",
        .timeLimit(.minutes(1)))
    func wakesOnEvents() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let waiting = OperationService(
            store: plane.store, tracker: plane.services.operations.tracker, events: plane.services.events.log, recheck: .seconds(3600))
        await runtime.holdStarts()
        let request = try MachineRequest(
            fields: RequestFields([(name: "name", value: "web-01"), (name: "idc", value: "dc1")], allowed: MachineRequest.fieldNames))
        let handle = try await plane.services.machines.submitCreate(request)
        let waiter = Task { try await waiting.wait(id: handle.id, upTo: .seconds(3600)) }
        await runtime.releaseStarts()
        let ended = try await waiter.value
        #expect(ended.state == .succeeded)
        #expect(await plane.services.events.log.readers == 0)
    }

    @Test("a wait that runs out answers the operation as it stands and leaves no reader behind")
    func timesOut() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        await runtime.holdStarts()
        let request = try MachineRequest(
            fields: RequestFields([(name: "name", value: "web-01"), (name: "idc", value: "dc1")], allowed: MachineRequest.fieldNames))
        let handle = try await plane.services.machines.submitCreate(request)
        let waited = try await plane.services.operations.wait(id: handle.id, upTo: .milliseconds(200))
        #expect(!waited.state.isFinal)
        #expect(await plane.services.events.log.readers == 0)
        await runtime.releaseStarts()
        #expect(try await handle.result()?.state == .running)
    }
}
