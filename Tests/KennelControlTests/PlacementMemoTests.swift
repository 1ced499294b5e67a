import Foundation
import KennelModel
import KennelTesting
import Testing

@testable import KennelControl

@Suite struct PlacementMemoTests {
    @Test func aClaimRolledBackIsNotCountedOnItsHostAfterwards() async throws {
        let plane = try await TestControlPlane.make()
        let placed = try await plane.services.machines.create(TestSite.request("web-01", memory: "4G", service: "web"))
        try await plane.store.transaction { store in
            let memo = PlacementMemo()
            let idc = placed.location.idc
            let before = try memo.candidates(in: idc, service: placed.service, store)
            let checkpoint = memo.checkpoint()
            memo.placed(placed)
            let counted = try memo.candidates(in: idc, service: placed.service, store)
            let host = try #require(counted.first { $0.host.name == placed.host })
            let was = try #require(before.first { $0.host.name == placed.host })
            #expect(host.used.memory.bytes == was.used.memory.bytes + placed.spec.memory.bytes)
            #expect(host.serviceMachines == was.serviceMachines + 1)
            memo.restore(checkpoint)
            #expect(try memo.candidates(in: idc, service: placed.service, store) == before)
            #expect(try memo.racks(store) == (try store.racks()))
        }
    }
}
