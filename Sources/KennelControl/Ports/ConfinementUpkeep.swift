import KennelModel

/// What keeps root in a machine inside it beyond its capabilities: the container's view of
/// the host's cgroup hierarchies (libvirt bind-mounts them whole, writable) is made
/// read-only after every start, so root inside cannot raise its own limits, move itself
/// out of its cgroups or change a neighbour's. libvirt restarts a container by itself (a
/// `reboot` inside, a crash), so the reconciler checks every running container each pass.
public protocol ConfinementUpkeep: Sendable {
    /// Makes the cgroup mounts of every running container on `host` read-only where they
    /// are not yet; answers the machines it had to confine.
    func confineContainers(on host: ComputeHost) async throws -> [Hostname]
}

extension ConfinementUpkeep {
    /// Runtimes without containers (simulated hosts) have nothing to confine.
    public func confineContainers(on host: ComputeHost) async throws -> [Hostname] { [] }
}
