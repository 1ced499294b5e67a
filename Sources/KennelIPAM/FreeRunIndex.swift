/// Where a pool's free addresses are kept, as disjoint runs (first...last). The store keeps
/// them in an indexed table; `InMemoryFreeRuns` keeps them in a sorted array. Every
/// lookup is by an indexed bound, so allocation costs O(log n) in the pool's size.
public protocol FreeRunIndex {
    /// The run with the lowest addresses, if any.
    func lowest() throws -> ClosedRange<UInt32>?
    /// The run holding `value`, if any.
    func run(containing value: UInt32) throws -> ClosedRange<UInt32>?
    /// The run whose last address is `value`, if any.
    func run(endingAt value: UInt32) throws -> ClosedRange<UInt32>?
    /// The run whose first address is `value`, if any.
    func run(startingAt value: UInt32) throws -> ClosedRange<UInt32>?
    /// Removes a run that is in the index.
    func remove(_ run: ClosedRange<UInt32>) throws
    /// Adds a run that overlaps no other.
    func insert(_ run: ClosedRange<UInt32>) throws
}

/// Allocation and release over a `FreeRunIndex`.
public enum AddressAllocator {
    /// Takes the lowest free address, or nil when none is left.
    public static func takeLowest(from index: some FreeRunIndex) throws -> UInt32? {
        guard let run = try index.lowest() else { return nil }
        try split(run, taking: run.lowerBound, in: index)
        return run.lowerBound
    }

    /// Takes `value` if it is free; returns whether it was.
    public static func take(_ value: UInt32, from index: some FreeRunIndex) throws -> Bool {
        guard let run = try index.run(containing: value) else { return false }
        try split(run, taking: value, in: index)
        return true
    }

    /// Returns `value` to the free runs, merging it with its neighbours. The caller
    /// guarantees it is allocatable and not already free.
    public static func giveBack(_ value: UInt32, to index: some FreeRunIndex) throws {
        var merged = value...value
        if value > 0, let below = try index.run(endingAt: value - 1) {
            try index.remove(below)
            merged = below.lowerBound...merged.upperBound
        }
        if value < UInt32.max, let above = try index.run(startingAt: value + 1) {
            try index.remove(above)
            merged = merged.lowerBound...above.upperBound
        }
        try index.insert(merged)
    }

    private static func split(_ run: ClosedRange<UInt32>, taking value: UInt32, in index: some FreeRunIndex) throws {
        try index.remove(run)
        if run.lowerBound < value { try index.insert(run.lowerBound...(value - 1)) }
        if value < run.upperBound { try index.insert((value + 1)...run.upperBound) }
    }
}
