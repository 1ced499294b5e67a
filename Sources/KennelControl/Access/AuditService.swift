import KennelModel

/// Reads the audit log: admins read everything; others the entries about their teams'
/// machines and their own changes.
public struct AuditService: Sendable {
    private let store: any MachineStore

    public init(store: any MachineStore) { self.store = store }

    /// Entries matching `query`, oldest first.
    public func entries(_ query: AuditQuery, by requester: Requester = .system) async throws -> [AuditEntry] {
        var query = query
        if !requester.principal.isAdmin {
            if let target = query.target, query.targetKind == "machine" {
                guard let name = try? Hostname(parsing: target), let machine = try await store.machine(named: name) else {
                    throw KennelError(.forbidden, "only admins read the audit of machines that are gone or not their teams'")
                }
                try requester.principal.requireRead("machine", target, team: machine.team)
            } else {
                query.user = requester.user.value
            }
        }
        return try await store.snapshot { [query] store in try store.auditEntries(query) }
    }
}
