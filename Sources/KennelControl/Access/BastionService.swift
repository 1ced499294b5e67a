import Foundation
import KennelModel
import Logging

/// The bastion's configuration: `kennel bastion config` and `GET /api/v1/bastion/config`
/// render it for admins; with `kennel serve --bastion-keys PATH` it is also written there
/// (atomically, only when it changed) after every change of keys, membership or grants,
/// when a machine is created or deleted or a grant expires (`AccessUpkeep`), and after
/// each reconcile pass. The bastion's sshd reads the file at each connection: nothing to
/// reload (`--bastion-reload` runs a program after each write, e.g. to copy it to a
/// bastion elsewhere).
public actor BastionService {
    private let store: any MachineStore
    private let environment: ServiceEnvironment
    private let logger: Logger
    private let write: (@Sendable (String) async throws -> Void)?
    private var written: String?

    init(store: any MachineStore, environment: ServiceEnvironment, logger: Logger, write: (@Sendable (String) async throws -> Void)?) {
        self.store = store
        self.environment = environment
        self.logger = logger
        self.write = write
    }

    /// The bastion's `authorized_keys` as it is now (admins only).
    public func config(by requester: Requester) async throws -> String {
        try requester.principal.requireAdmin("reading the bastion's configuration")
        return try await render()
    }

    /// Writes the configuration when it changed (no-op without `--bastion-keys`); a
    /// failure is logged, and the next refresh tries again.
    public func refresh() async {
        guard let write else { return }
        do {
            let text = try await render()
            guard text != written else { return }
            try await write(text)
            written = text
            logger.info("bastion.written", metadata: ["bytes": "\(text.utf8.count)"])
        } catch {
            logger.error("bastion.write-failed", metadata: ["cause": "\(error)"])
        }
    }

    private func render() async throws -> String {
        let now = environment.now()
        return try await store.snapshot { store in
            let users = try store.allUsers()
            let keys = try store.allUserKeys()
            let machines = try store.reachTargets()
            let userCA = try store.userCAKey()
            let reach = BastionPolicy.reach(
                users: users, keys: keys, machines: machines, grants: try store.allGrants(), certificates: userCA != nil, at: now)
            return BastionPolicy.render(reach, userCA: userCA)
        }
    }
}
