import KennelIPAM
import KennelModel

/// A pool with how its addresses are used.
public struct PoolDetails: Sendable, Equatable {
    public let pool: Pool
    public let usage: PoolUsage
    /// Why the pool may not work as it stands; empty when nothing is wrong.
    public var warnings: [String] = []
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
    public func create(_ pool: Pool, by requester: Requester = .system) async throws -> PoolDetails {
        try requester.principal.requireAdmin("adding pools")
        let now = environment.now()
        let audit = AuditTrail(requester: requester, at: now)
        return try await store.transaction { store in
            guard try store.pool(named: pool.name) == nil else {
                throw KennelError(.nameTaken, "a pool named '\(pool.name)' exists already", field: "name")
            }
            try checkReferences(pool, store)
            if let other = try store.allPools().first(where: { $0.cidr.overlaps(pool.cidr) }) {
                throw KennelError(.conflict, "\(pool.cidr) overlaps pool \(other.name) (\(other.cidr))", field: "cidr")
            }
            try store.save(pool)
            try audit.record("pool.create", "pool", pool.name.value, after: pool, in: store)
            var details = PoolDetails(pool: pool, usage: try store.usage(of: pool, at: now))
            details.warnings = try warnings(for: pool, store)
            return details
        }
    }

    /// A pool no host can reach is legal (hosts are often cabled after the network is
    /// planned) but gives no address until one trunks its VLAN: say so.
    private func warnings(for pool: Pool, _ store: any StoreTransaction) throws -> [String] {
        let hosts = try store.placementCandidates(in: pool.idc, service: nil).map(\.host)
            .filter { $0.location.idc == pool.idc && pool.serves(zone: $0.location.zone) }
        guard !hosts.contains(where: { $0.vlans.contains(pool.vlan) }) else { return [] }
        let scope = pool.zones.isEmpty ? "\(pool.idc)" : "\(pool.idc) zones \(pool.zones.map(\.value).joined(separator: ","))"
        return [
            "no host in \(scope) trunks VLAN \(pool.vlan): machines get no address from this pool until one does (kennel host update HOST --vlans …)"
        ]
    }

    /// Changes a pool's zones, ranges, exclusions, DNS or quarantine. Refuses a change
    /// that would leave a leased address outside what the pool may hand out.
    public func update(
        named name: Hostname, with fields: RequestFields, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> PoolDetails {
        try requester.principal.requireAdmin("changing pools")
        let now = environment.now()
        let audit = AuditTrail(requester: requester, at: now)
        return try await store.transaction { store in
            let current = try existing(name, store)
            try EntityTag.check(ifMatch, against: current, kind: "pool", name: name.value)
            let updated = try PoolRequest.apply(fields, to: current)
            try checkReferences(updated, store)
            try checkZones(updated, fields, store)
            let layout = PoolLayout(pool: updated)
            let stranded = try store.leases(in: name).filter { !layout.isAllocatable($0.address) }
            guard stranded.isEmpty else {
                let shown = stranded.prefix(5).map { "\($0.address) (\($0.machine))" }.joined(separator: ", ")
                throw KennelError(
                    .conflict, "leased addresses would fall outside the pool: \(shown)", field: fields.isGiven("exclude") ? "exclude" : "ranges")
            }
            try store.save(updated)
            try audit.record("pool.update", "pool", name.value, before: current, after: updated, in: store)
            return PoolDetails(pool: updated, usage: try store.usage(of: updated, at: now))
        }
    }

    /// Removes a pool; refused while machines hold addresses from it. Quarantined
    /// addresses are promises to their names (a re-created machine gets its address
    /// back), so a pool holding some is refused too unless `force` drops them.
    public func delete(named name: Hostname, force: Bool = false, ifMatch: String? = nil, by requester: Requester = .system) async throws {
        try requester.principal.requireAdmin("removing pools")
        let now = environment.now()
        let audit = AuditTrail(requester: requester, at: now)
        try await store.transaction { store in
            let current = try existing(name, store)
            try EntityTag.check(ifMatch, against: current, kind: "pool", name: name.value)
            try store.releaseExpiredQuarantine(in: name, at: now)
            let leases = try store.leases(in: name)
            let active = leases.filter { $0.state == .active }
            guard active.isEmpty else {
                let shown = active.prefix(5).map(\.machine.value).joined(separator: ", ")
                throw KennelError(.conflict, "pool \(name) still has \(Counted.text(active.count, "machine")): \(shown)")
            }
            let resting = leases.filter { $0.state == .quarantined }
            guard resting.isEmpty || force else {
                let shown = resting.prefix(5).map { "\($0.address) (\($0.machine))" }.joined(separator: ", ")
                throw KennelError(
                    .conflict,
                    "pool \(name) keeps \(Counted.text(resting.count, "quarantined address", plural: "quarantined addresses")) for deleted machines: \(shown); "
                        + "deleting it breaks their promise to get them back: add force=1 to delete anyway",
                    field: "force")
            }
            try store.deletePool(named: name)
            try audit.record("pool.delete", "pool", name.value, before: current, in: store)
        }
    }

    /// One pool with its usage.
    public func details(named name: Hostname) async throws -> PoolDetails {
        let now = environment.now()
        return try await store.snapshot { store in
            let pool = try existing(name, store)
            return PoolDetails(pool: pool, usage: try store.usage(of: pool, at: now))
        }
    }

    /// Every pool with its usage, by name.
    public func list() async throws -> [PoolDetails] {
        let now = environment.now()
        return try await store.snapshot { store in
            try store.allPools().map { PoolDetails(pool: $0, usage: try store.usage(of: $0, at: now)) }
        }
    }

    /// Every lease of a pool, by address.
    public func leases(named name: Hostname) async throws -> [Lease] {
        try await store.snapshot { store in
            _ = try existing(name, store)
            return try store.leases(in: name)
        }
    }

    private func existing(_ name: Hostname, _ store: any StoreTransaction) throws -> Pool {
        guard let pool = try store.pool(named: name) else { throw KennelError.notFound("pool", name.value) }
        return pool
    }

    /// Refuses dropping a zone where a machine holding one of the pool's addresses runs:
    /// 409 naming the machines.
    private func checkZones(_ updated: Pool, _ fields: RequestFields, _ store: any StoreTransaction) throws {
        guard fields.isGiven("zones") else { return }
        var stranded: [String] = []
        for lease in try store.leases(in: updated.name) where lease.state == .active {
            if let machine = try store.machine(named: lease.machine), !updated.serves(zone: machine.location.zone) {
                stranded.append("\(machine.name) (zone \(machine.location.zone))")
            }
        }
        guard stranded.isEmpty else {
            throw KennelError(
                .conflict,
                "machines with addresses from pool \(updated.name) run in zones it would no longer serve: "
                    + stranded.prefix(5).joined(separator: ", ") + (stranded.count > 5 ? " and \(stranded.count - 5) more" : ""),
                field: "zones")
        }
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
