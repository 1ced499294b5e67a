import KennelModel

/// Whether a machine's container exists on its host, and whether it runs.
public enum DomainPresence: String, Sendable, Equatable {
    case absent, stopped, running
}

/// Runs machines on hosts (libvirt's LXC driver in production, its test driver in demo
/// mode, a fake in unit tests). Every call is idempotent, so a step can be retried or
/// resumed after a crash.
public protocol HostRuntime: Sendable {
    /// Defines the machine's container on `host` (replacing an older definition), marks it
    /// autostart, and starts it unless it already runs.
    func ensureRunning(_ machine: Machine, on host: ComputeHost) async throws
    /// Stops the container if it runs and removes its definition; no-op when absent.
    func remove(_ machine: Machine, from host: ComputeHost) async throws
    /// What the host knows of the machine's container.
    func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence
}
