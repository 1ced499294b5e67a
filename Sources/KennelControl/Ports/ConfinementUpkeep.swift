import KennelModel

/// What keeps root in a machine inside it beyond its capabilities: the container's view of
/// the host's cgroup hierarchies (libvirt bind-mounts them whole, writable) is made
/// read-only after every start, so root inside cannot raise its own limits, move itself
/// out of its cgroups or change a neighbour's. libvirt restarts a container by itself (a
/// `reboot` inside, a crash), so the reconciler checks every running container each pass.
public protocol ConfinementUpkeep: Sendable {
    /// Caps the tasks of every running container on `host` (each at its machine's
    /// `processLimit`, from `machines`) and makes its cgroup mounts read-only, where not
    /// yet done; answers the machines whose mounts it had to lock.
    func confineContainers(on host: ComputeHost, machines: [Machine]) async throws -> [Hostname]
}

extension ConfinementUpkeep {
    /// Runtimes without containers (simulated hosts) have nothing to confine.
    public func confineContainers(on host: ComputeHost, machines: [Machine]) async throws -> [Hostname] { [] }
}
