/// Free runs in a sorted array: the reference `FreeRunIndex`, for tests and benchmarks.
public final class InMemoryFreeRuns: FreeRunIndex {
    /// The runs, ascending.
    public private(set) var runs: [ClosedRange<UInt32>]

    /// Starts with `set`'s ranges free.
    public init(_ set: IntervalSet) { runs = set.ranges }

    public func lowest() -> ClosedRange<UInt32>? { runs.first }

    public func run(containing value: UInt32) -> ClosedRange<UInt32>? {
        let index = insertionIndex(value)
        if index < runs.count, runs[index].contains(value) { return runs[index] }
        if index > 0, runs[index - 1].contains(value) { return runs[index - 1] }
        return nil
    }

    public func run(endingAt value: UInt32) -> ClosedRange<UInt32>? {
        run(containing: value).flatMap { $0.upperBound == value ? $0 : nil }
    }

    public func run(startingAt value: UInt32) -> ClosedRange<UInt32>? {
        run(containing: value).flatMap { $0.lowerBound == value ? $0 : nil }
    }

    public func remove(_ run: ClosedRange<UInt32>) {
        let index = insertionIndex(run.lowerBound)
        if index < runs.count, runs[index] == run { runs.remove(at: index) }
    }

    public func insert(_ run: ClosedRange<UInt32>) {
        runs.insert(run, at: insertionIndex(run.lowerBound))
    }

    /// The index of the first run whose lower bound is not below `value`.
    private func insertionIndex(_ value: UInt32) -> Int {
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].lowerBound < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
