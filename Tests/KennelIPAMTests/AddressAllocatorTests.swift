import KennelIPAM
import Testing

@Suite("Address allocator over free runs")
struct AddressAllocatorTests {
    @Test("taking a specific address splits its run; giving it back merges the run again")
    func takeAndGiveBack() throws {
        let runs = InMemoryFreeRuns(IntervalSet([10...20]))
        #expect(try AddressAllocator.take(15, from: runs))
        #expect(runs.runs == [10...14, 16...20])
        #expect(try AddressAllocator.take(15, from: runs) == false)
        try AddressAllocator.giveBack(15, to: runs)
        #expect(runs.runs == [10...20])
    }

    @Test("the lowest free address comes first, and a returned one is next")
    func lowestFirst() throws {
        let runs = InMemoryFreeRuns(IntervalSet([10...12]))
        #expect(try AddressAllocator.takeLowest(from: runs) == 10)
        #expect(try AddressAllocator.takeLowest(from: runs) == 11)
        try AddressAllocator.giveBack(10, to: runs)
        #expect(try AddressAllocator.takeLowest(from: runs) == 10)
        #expect(try AddressAllocator.takeLowest(from: runs) == 12)
        #expect(try AddressAllocator.takeLowest(from: runs) == nil)
    }

    @Test("random streams of take and give back match a plain set", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func matchesModel(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let universe: ClosedRange<UInt32> = 100...227
        let runs = InMemoryFreeRuns(IntervalSet([universe]))
        var free = Set(universe)
        for _ in 0..<2000 {
            switch random.next() % 3 {
            case 0:
                let taken = try AddressAllocator.takeLowest(from: runs)
                #expect(taken == free.min())
                if let taken { free.remove(taken) }
            case 1:
                let value = universe.lowerBound + UInt32(random.next() % UInt64(universe.count))
                #expect(try AddressAllocator.take(value, from: runs) == free.contains(value))
                free.remove(value)
            default:
                let value = universe.lowerBound + UInt32(random.next() % UInt64(universe.count))
                if !free.contains(value) {
                    try AddressAllocator.giveBack(value, to: runs)
                    free.insert(value)
                }
            }
            #expect(IntervalSet(runs.runs) == IntervalSet(free.map { $0...$0 }))
            #expect(runs.runs == IntervalSet(runs.runs).ranges, "runs must stay merged")
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
