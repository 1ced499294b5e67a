/// Where Kennel keeps each machine's files on a host.
public struct HostPaths: Sendable, Equatable {
    /// The directory holding one sub-directory per machine.
    public let machinesRoot: String

    /// Creates a layout rooted at `machinesRoot`.
    public init(machinesRoot: String = "/var/lib/kennel/machines") {
        self.machinesRoot = machinesRoot
    }

    /// The machine's root filesystem directory.
    public func rootfs(of machine: Hostname) -> String { "\(machinesRoot)/\(machine)/rootfs" }

    /// The directory holding everything of the machine on the host.
    public func directory(of machine: Hostname) -> String { "\(machinesRoot)/\(machine)" }
}
