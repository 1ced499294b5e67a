import KennelModel

/// A running container as its host sees it.
public struct ContainerProcess: Sendable, Equatable, Codable {
    /// PID of libvirt's `libvirt_lxc` controller (the domain's id); the container's init
    /// is its child.
    public let controllerPID: Int32
    /// The host side of the container's network interface (`vnet0`), when known.
    public let hostInterface: String?

    public init(controllerPID: Int32, hostInterface: String?) {
        self.controllerPID = controllerPID
        self.hostInterface = hostInterface
    }
}

/// Host-side steps libvirt cannot do: a machine's root filesystem and identity files,
/// network fixes once its container runs, and looking inside it. Implemented by
/// `kennel node` on the host, reached locally or over SSH.
public protocol HostAgent: Sendable {
    /// Gives the machine its root filesystem (once) and writes its identity files.
    func provision(_ launch: MachineLaunch, bridge: String) async throws
    /// Applies what the host needs once the container runs (checksum offload on
    /// userspace-datapath bridges).
    func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws
    /// Waits up to `timeout` for sshd inside the container to answer on the machine's IP.
    func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool
    /// sshd and the supervisord programs inside the container.
    func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth
    /// Removes the machine's files from the host; no-op when gone.
    func remove(_ machine: Machine) async throws
}
