import KennelControl
import KennelGuest
import KennelModel

/// One request to `kennel node call` on a host, sent as JSON on its standard input (so
/// that no argument ever passes through a remote shell).
public enum NodeRequest: Sendable, Equatable, Codable {
    /// Give a machine its root filesystem from an image (once) and write its files.
    case provision(machine: Hostname, image: ImageName, tarball: String, sha256: String, files: [GuestFile])
    /// Apply host-side fixes once the container runs.
    case attach(container: ContainerProcess, bridge: String)
    /// Wait until sshd in the container answers on `ip`.
    case waitForSSH(container: ContainerProcess, ip: IPv4Address, timeoutMilliseconds: Int)
    /// Report sshd and supervisord's programs.
    case health(container: ContainerProcess, ip: IPv4Address)
    /// Remove a machine's files.
    case remove(machine: Hostname)
    /// Whether an image tarball with this checksum is on the host, whole (hashed before
    /// its first use); a damaged one is removed. Its folder is made, so that it can be
    /// copied there.
    case imagePresent(path: String, sha256: String)
    /// Moves a copied tarball from its temporary name into place once it hashes right.
    case installImage(partial: String, path: String, sha256: String)
    /// What the host is: kernel, OVS datapath of `bridge`, the machines directory.
    case hostFacts(bridge: String)
}

/// What `kennel node call` answers; the field that matches the request is set.
public struct NodeReply: Sendable, Equatable, Codable {
    public var sshUp: Bool?
    public var health: MachineHealth?
    public var present: Bool?
    public var facts: HostFacts?

    public init(sshUp: Bool? = nil, health: MachineHealth? = nil, present: Bool? = nil, facts: HostFacts? = nil) {
        self.sshUp = sshUp
        self.health = health
        self.present = present
        self.facts = facts
    }
}
