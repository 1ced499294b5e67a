import KennelModel
import Logging

/// Asks hosts what they are (`HostFacts`), through the host runtime.
public struct HostFactsService: Sendable {
    private let store: any MachineStore
    private let runtime: any HostRuntime
    private let logger: Logger

    /// Creates the service over a store and a host runtime.
    public init(store: any MachineStore, runtime: any HostRuntime, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.logger = logger
    }

    /// The facts of host `name`; `not_found` for an unknown host, `host_failure` (with
    /// the cause in the log only) when the host cannot be asked.
    public func facts(named name: Hostname) async throws -> HostFacts {
        guard let host = try await store.host(named: name) else { throw KennelError.notFound("host", name.value) }
        do {
            return try await runtime.facts(of: host)
        } catch {
            logger.warning("host.facts-failed", metadata: ["host": "\(name)", "cause": "\(error)"])
            throw KennelError(.hostFailure, "asking host \(name) for its facts failed; the cause is in the service log")
        }
    }
}
