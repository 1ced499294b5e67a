import Foundation
import KennelModel

/// Grants: admins let a user or a team reach a machine or a service's machines beyond
/// their teams, until an expiry. Each change is audited, pushed into the machines it
/// concerns (their key lists and principals) and into the bastion's configuration; at
/// its expiry, `AccessUpkeep` takes it out of both.
public struct GrantService: Sendable {
    private let store: any MachineStore
    private let sync: AccessSync
    private let upkeep: AccessUpkeep
    private let environment: ServiceEnvironment

    init(store: any MachineStore, sync: AccessSync, upkeep: AccessUpkeep, environment: ServiceEnvironment) {
        self.store = store
        self.sync = sync
        self.upkeep = upkeep
        self.environment = environment
    }

    /// Records a grant (admins only): 404 for a user, team or machine that does not exist.
    public func create(_ request: GrantRequest, by requester: Requester) async throws -> Grant {
        try requester.principal.requireAdmin("granting access")
        let now = environment.now()
        let grant = try await store.transaction { store in
            switch request.subject {
            case .user(let name): guard try store.user(named: name) != nil else { throw KennelError.notFound("user", name.value) }
            case .team(let name): guard try store.team(named: name) != nil else { throw KennelError.notFound("team", name.value) }
            }
            if case .machine(let name) = request.target, try store.machine(named: name) == nil {
                throw KennelError.notFound("machine", name.value)
            }
            let grant = try store.insertGrant(
                Grant(
                    id: 0, subject: request.subject, target: request.target,
                    expiresAt: request.expires.map { now.addingTimeInterval(TimeInterval($0.seconds)) },
                    createdBy: requester.user, createdAt: now))
            try AuditTrail(requester: requester, at: now).record("grant.create", "grant", "\(grant.id)", after: grant, in: store)
            return grant
        }
        await sync.machinesChanged(Self.concerns(grant.target))
        await upkeep.grantsChanged()
        return grant
    }

    /// Every grant (admins), or those naming the caller or their teams, newest first.
    public func list(by requester: Requester) async throws -> [Grant] {
        let principal = requester.principal
        return try await store.snapshot { store in try store.allGrants() }.filter { grant in
            guard !principal.isAdmin else { return true }
            switch grant.subject {
            case .user(let name): return name == principal.user
            case .team(let name): return principal.teams.contains(name)
            }
        }
    }

    /// Removes a grant (admins only; 404 when there is none such).
    public func delete(id: Int64, by requester: Requester) async throws {
        try requester.principal.requireAdmin("removing grants")
        let now = environment.now()
        let grant = try await store.transaction { store in
            guard let grant = try store.allGrants().first(where: { $0.id == id }), try store.deleteGrant(id: id) else {
                throw KennelError.notFound("grant", "\(id)")
            }
            try AuditTrail(requester: requester, at: now).record("grant.delete", "grant", "\(id)", before: grant, in: store)
            return grant
        }
        await sync.machinesChanged(Self.concerns(grant.target))
    }

    /// The machines a grant's target names.
    static func concerns(_ target: Grant.Target) -> @Sendable (Machine) -> Bool {
        switch target {
        case .machine(let name): { $0.name == name }
        case .service(let service): { $0.service == service }
        }
    }
}
