import KennelModel

/// Which addresses of a pool may be handed out, and which one comes next.
///
/// Allocatable: every address of the subnet except the network address, the broadcast
/// address and the gateway. (Ranges, exclusions and quarantine arrive with the full IPAM.)
public struct PoolAddressPlan: Sendable {
    /// The pool the plan is for.
    public let pool: Pool

    /// Creates the plan for a pool.
    public init(pool: Pool) { self.pool = pool }

    /// The lowest and highest address that may ever be handed out, or nil when the
    /// subnet is too small to have any (/31 and /32).
    public var usableRange: ClosedRange<UInt32>? {
        guard pool.cidr.prefix <= 30 else { return nil }
        return (pool.cidr.network.value + 1)...(pool.cidr.broadcast.value - 1)
    }

    /// How many addresses the pool can hand out in all.
    public var capacity: Int {
        guard let range = usableRange else { return 0 }
        return range.count - (range.contains(pool.gateway.value) ? 1 : 0)
    }

    /// Whether `address` may be leased from this pool at all (ignoring current leases).
    public func isAllocatable(_ address: IPv4Address) -> Bool {
        guard let range = usableRange else { return false }
        return range.contains(address.value) && address != pool.gateway
    }

    /// The lowest allocatable address not in `taken`, or nil when the pool is full.
    ///
    /// - Parameter taken: the addresses leased now, in ascending order.
    public func lowestFree<Taken: Sequence<IPv4Address>>(taken: Taken) -> IPv4Address? {
        guard let range = usableRange else { return nil }
        var candidate = range.lowerBound
        var leased = taken.makeIterator()
        var next = leased.next()
        while candidate <= range.upperBound {
            while let address = next, address.value < candidate { next = leased.next() }
            if candidate == pool.gateway.value || next?.value == candidate {
                if candidate == range.upperBound { return nil }
                candidate += 1
                continue
            }
            return IPv4Address(candidate)
        }
        return nil
    }
}
