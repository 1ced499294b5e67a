import GRDB
import KennelIPAM
import KennelModel
@testable import KennelStore
import KennelTesting
import Testing

@Suite("SQLite free runs behave like the in-memory reference")
struct FreeRunsContractTests {
    @Test("random take/give-back streams give the same answers and the same runs", arguments: [11, 12, 13, 14])
    func sameAsReference(seed: UInt64) async throws {
        let store = try SQLiteMachineStore.inMemory()
        try await store.transaction { try $0.apply(TestSite.make(cidr: "10.100.0.0/25")) }
        let universe = IntervalSet([(0x0A64_0002 as UInt32)...0x0A64_007E])
        try await store.transaction { transaction in
            let db = try #require((transaction as? SQLiteTransaction)?.db)
            let sql = SQLiteFreeRuns(db: db, pool: TestSite.value("pool-a"))
            try sql.reset(to: universe)
            let reference = InMemoryFreeRuns(universe)
            var random = seed
            func next() -> UInt64 {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return random >> 33
            }
            var taken: [UInt32] = []
            for _ in 0..<600 {
                switch next() % 3 {
                case 0:
                    let answer = try AddressAllocator.takeLowest(from: sql)
                    #expect(answer == (try AddressAllocator.takeLowest(from: reference)))
                    if let answer { taken.append(answer) }
                case 1:
                    let value = 0x0A64_0002 + UInt32(next() % 125)
                    let answer = try AddressAllocator.take(value, from: sql)
                    #expect(answer == (try AddressAllocator.take(value, from: reference)))
                    if answer { taken.append(value) }
                default:
                    guard !taken.isEmpty else { continue }
                    let value = taken.remove(at: Int(next() % UInt64(taken.count)))
                    try AddressAllocator.giveBack(value, to: sql)
                    try AddressAllocator.giveBack(value, to: reference)
                }
                let stored = try Row.fetchAll(db, sql: "SELECT first, last FROM pool_free WHERE pool = 'pool-a' ORDER BY first")
                    .map { UInt32(truncatingIfNeeded: $0["first"] as Int64)...UInt32(truncatingIfNeeded: $0["last"] as Int64) }
                #expect(stored == reference.runs)
            }
        }
    }
}
