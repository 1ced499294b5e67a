import KennelModel

/// Which addresses of a pool may ever be handed out: its ranges, less its exclusions and
/// its gateway (network and broadcast are never in a range).
public struct PoolLayout: Sendable, Equatable {
    /// The allocatable addresses.
    public let allocatable: IntervalSet

    /// The layout of `pool`.
    public init(pool: Pool) {
        let blocked = IntervalSet(pool.exclusions.map(\.values) + [pool.gateway.value...pool.gateway.value])
        allocatable = IntervalSet(pool.effectiveRanges).subtracting(blocked)
    }

    /// How many addresses the pool can hand out in all.
    public var size: UInt64 { allocatable.count }

    /// Whether `address` may be leased from the pool at all (ignoring current leases).
    public func isAllocatable(_ address: IPv4Address) -> Bool { allocatable.contains(address.value) }

    /// The free runs of a pool whose leased (active or quarantined) addresses are `taken`.
    public func freeRuns(taken: [IPv4Address]) -> IntervalSet {
        allocatable.subtracting(IntervalSet(taken.map { $0.value...$0.value }))
    }
}
