import KennelIPAM
import KennelModel

/// A pool with how its addresses are used.
public struct PoolDetails: Sendable, Equatable {
    public let pool: Pool
    public let usage: PoolUsage
}

/// Creates, changes, shows and deletes address pools.
public struct PoolService: Sendable {
    private let store: any MachineStore
    private let environment: ServiceEnvironment

    /// Creates the service over a store.
    public init(store: any MachineStore, environment: ServiceEnvironment = .live) {
        self.store = store
        self.environment = environment
    }

    /// Adds a pool. Refuses a taken name, an unknown IDC or zone, and a subnet that
    /// overlaps another pool's (409 naming it).
    public func create(_ pool: Pool) async throws -> PoolDetails {
        let now = environment.now()
        return try await store.transaction { store in
            guard try store.pool(named: pool.name) == nil else {
                throw KennelError(.nameTaken, "a pool named '\(pool.name)' exists already", field: "name")
            }
            try checkReferences(pool, store)
            if let other = try store.allPools().first(where: { $0.cidr.overlaps(pool.cidr) }) {
                throw KennelError(.conflict, "\(pool.cidr) overlaps pool \(other.name) (\(other.cidr))", field: "cidr")
            }
            try store.save(pool)
            return PoolDetails(pool: pool, usage: try store.usage(of: pool, at: now))
        }
    }

    /// Changes a pool's zones, ranges, exclusions, DNS or quarantine. Refuses a change
    /// that would leave a leased address outside what the pool may hand out.
    public func update(named name: Hostname, with fields: RequestFields) async throws -> PoolDetails {
        let now = environment.now()
        return try await store.transaction { store in
            let current = try existing(name, store)
            let updated = try PoolRequest.apply(fields, to: current)
            try checkReferences(updated, store)
            let layout = PoolLayout(pool: updated)
            let stranded = try store.leases(in: name).filter { !layout.isAllocatable($0.address) }
            guard stranded.isEmpty else {
                let shown = stranded.prefix(5).map { "\($0.address) (\($0.machine))" }.joined(separator: ", ")
                throw KennelError(.conflict, "leased addresses would fall outside the pool: \(shown)", field: fields.isGiven("exclude") ? "exclude" : "ranges")
            }
            try store.save(updated)
            return PoolDetails(pool: updated, usage: try store.usage(of: updated, at: now))
        }
    }

    /// Removes a pool; refused while machines hold addresses from it. Quarantined
    /// addresses go with it.
    public func delete(named name: Hostname) async throws {
        try await store.transaction { store in
            _ = try existing(name, store)
            let active = try store.leases(in: name).filter { $0.state == .active }
            guard active.isEmpty else {
                let shown = active.prefix(5).map(\.machine.value).joined(separator: ", ")
                throw KennelError(.conflict, "pool \(name) still has \(active.count) machines: \(shown)")
            }
            try store.deletePool(named: name)
        }
    }

    /// One pool with its usage.
    public func details(named name: Hostname) async throws -> PoolDetails {
        let now = environment.now()
        return try await store.transaction { store in
            let pool = try existing(name, store)
            return PoolDetails(pool: pool, usage: try store.usage(of: pool, at: now))
        }
    }

    /// Every pool with its usage, by name.
    public func list() async throws -> [PoolDetails] {
        let now = environment.now()
        return try await store.transaction { store in
            try store.allPools().map { PoolDetails(pool: $0, usage: try store.usage(of: $0, at: now)) }
        }
    }

    /// Every lease of a pool, by address.
    public func leases(named name: Hostname) async throws -> [Lease] {
        try await store.transaction { store in
            _ = try existing(name, store)
            return try store.leases(in: name)
        }
    }

    private func existing(_ name: Hostname, _ store: any StoreTransaction) throws -> Pool {
        guard let pool = try store.pool(named: name) else { throw KennelError.notFound("pool", name.value) }
        return pool
    }

    private func checkReferences(_ pool: Pool, _ store: any StoreTransaction) throws {
        guard try store.idcExists(pool.idc) else {
            throw KennelError(.unknownReference, "no IDC named '\(pool.idc)'", field: "idc")
        }
        for zone in pool.zones where try !store.zoneExists(zone, in: pool.idc) {
            throw KennelError(.unknownReference, "IDC \(pool.idc) has no zone named '\(zone)'", field: "zones")
        }
    }
}
