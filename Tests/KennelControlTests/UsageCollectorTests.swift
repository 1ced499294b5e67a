import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Logging
import Testing

@Suite("Per-machine usage: cached, gathered in the background, never waiting on a host")
struct UsageCollectorTests {
    private func machine(_ name: String) throws -> MachineRequest {
        try MachineRequest(
            fields: RequestFields([(name: "name", value: name), (name: "idc", value: "dc1")], allowed: MachineRequest.fieldNames))
    }

    @Test("a scrape answers at once from the cache, reads stale hosts behind it, and a hung host only marks itself late", .timeLimit(.minutes(1)))
    func hungHost() async throws {
        let plane = try await TestControlPlane.make()
        for name in ["web-01", "web-02", "web-03"] { _ = try await plane.services.machines.create(try machine(name)) }
        let machines = try await plane.store.machines()
        let hung = machines[0].host
        let reader = FakeUsageReader(hanging: [hung])
        let collector = UsageCollector(
            store: plane.store, reader: reader, maxAge: .seconds(3600), timeout: .milliseconds(100), logger: Logger(label: "test"))
        let first = try await collector.snapshot()
        #expect(first.allSatisfy { $0.machines.isEmpty })
        var answered: [HostUsage] = []
        for _ in 0..<500 {
            answered = try await collector.snapshot()
            if answered.contains(where: { $0.host == hung && $0.problem != nil }),
                answered.filter({ $0.host != hung }).allSatisfy({ $0.collectedAt != nil })
            {
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let hungUsage = try #require(answered.first { $0.host == hung })
        #expect(hungUsage.problem == "no answer within 0.1 seconds")
        #expect(hungUsage.machines.isEmpty)
        let others = machines.filter { $0.host != hung }
        let seen = answered.flatMap { $0.machines }.reduce(into: [Hostname: MachineUsage]()) { $0[$1.key] = $1.value }
        #expect(Set(seen.keys) == Set(others.map(\.name)))
        #expect(seen.values.allSatisfy { $0.cpuSeconds == 1.5 && $0.diskUsedBytes == 300 << 20 })
        // Within maxAge nothing is read again, however often it is scraped.
        let reads = await reader.reads
        for _ in 0..<20 { _ = try await collector.snapshot() }
        #expect(await reader.reads == reads)
    }

    @Test("machines deleted since the last read drop out at once; disk is read less often than the counters")
    func deletedAndDisk() async throws {
        let plane = try await TestControlPlane.make()
        for name in ["web-01", "web-02"] { _ = try await plane.services.machines.create(try machine(name)) }
        let reader = FakeUsageReader()
        let collector = UsageCollector(
            store: plane.store, reader: reader, maxAge: .zero, diskMaxAge: .seconds(3600), logger: Logger(label: "test"))
        _ = try await collector.snapshot()
        await collector.settle()
        #expect(try await collector.snapshot().flatMap { $0.machines.keys }.count == 2)
        await collector.settle()
        let diskReads = await reader.diskReads
        _ = try await collector.snapshot()
        await collector.settle()
        #expect(await reader.reads > diskReads)
        #expect(await reader.diskReads == diskReads)
        try await plane.services.machines.delete(named: try Hostname(parsing: "web-01"))
        let after = try await collector.snapshot().flatMap { $0.machines.keys }
        #expect(after.map(\.value) == ["web-02"])
    }
}
