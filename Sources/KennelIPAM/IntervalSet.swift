/// Sorted, disjoint, non-adjacent-merged ranges of 32-bit values.
public struct IntervalSet: Sendable, Equatable {
    /// The ranges, ascending.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// Normalises `ranges`: sorts and merges overlapping or adjacent ones.
    public init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound || range.lowerBound - last.upperBound == 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// How many values the set holds.
    public var count: UInt64 { ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 } }

    /// Whether `value` is in the set (binary search).
    public func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound { high = middle - 1 } else if value > range.upperBound { low = middle + 1 } else { return true }
        }
        return false
    }

    /// The values of this set that are not in `other`.
    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<UInt32>] = []
        var holes = other.ranges[...]
        for range in ranges {
            var start = range.lowerBound
            var exhausted = false
            while let hole = holes.first, hole.lowerBound <= range.upperBound {
                if hole.upperBound < start {
                    holes.removeFirst()
                    continue
                }
                if hole.lowerBound > start { result.append(start...(hole.lowerBound - 1)) }
                if hole.upperBound >= range.upperBound {
                    exhausted = true
                    break
                }
                start = hole.upperBound + 1
                holes.removeFirst()
            }
            if !exhausted { result.append(start...range.upperBound) }
        }
        return IntervalSet(result)
    }
}
