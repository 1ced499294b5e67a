import KennelControl
import KennelModel

/// Which machines a page may name to its user: every one for an admin (nothing to read),
/// else those the services list for the user (their teams').
struct VisibleMachines {
    /// Nil: every machine.
    let names: Set<Hostname>?

    func contains(_ name: Hostname) -> Bool { names?.contains(name) ?? true }

    static func of(_ requester: Requester, in services: KennelServices) async throws -> VisibleMachines {
        guard !requester.principal.isAdmin else { return VisibleMachines(names: nil) }
        return VisibleMachines(names: Set(try await services.machines.list(by: requester).map(\.name)))
    }
}
