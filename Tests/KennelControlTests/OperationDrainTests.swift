import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Shutdown: no new operations, running ones drain")
struct OperationDrainTests {
    @Test("after stopAccepting a create is 'unavailable' and writes nothing; drain waits for the running create")
    func drain() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let tracker = plane.services.operations.tracker
        await runtime.holdStarts()
        let request = try MachineRequest(
            fields: RequestFields([(name: "name", value: "web-01"), (name: "idc", value: "dc1")], allowed: MachineRequest.fieldNames))
        let handle = try await plane.services.machines.submitCreate(request)
        #expect(await tracker.count == 1)
        await tracker.stopAccepting()
        let refused = try MachineRequest(
            fields: RequestFields([(name: "name", value: "web-02"), (name: "idc", value: "dc1")], allowed: MachineRequest.fieldNames))
        await #expect(throws: KennelError(.unavailable, "Kennel is shutting down; try again when it is back")) {
            _ = try await plane.services.machines.submitCreate(refused)
        }
        #expect(try await plane.store.machine(named: try Hostname(parsing: "web-02")) == nil)
        #expect(await tracker.drain(timeout: .milliseconds(100)) == [handle.id])
        await runtime.releaseStarts()
        #expect(await tracker.drain(timeout: .seconds(10)) == [])
        #expect(try await handle.result()?.state == .running)
    }
}
