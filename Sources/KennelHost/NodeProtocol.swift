import Foundation
import KennelControl
import KennelGuest
import KennelModel

/// One request to `kennel node call` on a host, sent as JSON on its standard input (so
/// that no argument ever passes through a remote shell): the concern it belongs to, and
/// that concern's own request. Each verb answers its own JSON type (`NodeReply`), so
/// adding a verb touches its concern's request, its driver and its client only.
public enum NodeRequest: Sendable, Equatable, Codable {
    case rootfs(RootfsRequest)
    case identity(IdentityRequest)
    case network(NetworkRequest)
    case inspection(InspectionRequest)
    case facts(FactsRequest)
    case confinement(ConfinementRequest)
}

/// Keeping root in a container inside it.
public enum ConfinementRequest: Sendable, Equatable, Codable {
    /// Cap the container's tasks at `tasks` and make its cgroup mounts read-only (answers
    /// `Done`).
    case lock(container: ContainerProcess, machine: Hostname, tasks: Int)
    /// The same for every running container on the host, each capped at its machine's
    /// entry in `tasks` (answers `[String]`: the machines whose mounts were still writable).
    case lockAll(tasks: [String: Int])
    /// Remove what capped the machine's tasks (answers `Done`).
    case release(machine: Hostname)
}

/// Root filesystems and the images they come from.
public enum RootfsRequest: Sendable, Equatable, Codable {
    /// Give a machine its root volume of `sizeBytes` cloned from an image once, attach and
    /// mount it at its root filesystem path every time (answers `VolumeStatus?`: nil for a
    /// machine made before volumes, whose root filesystem is a plain directory).
    case provision(
        machine: Hostname, image: ImageName, tarball: String, sha256: String, volumes: VolumeConfig, sizeBytes: UInt64,
        filesystem: FilesystemKind)
    /// Bring a machine's volume and filesystem to `sizeBytes`: grown (online when mounted),
    /// or shrunk offline where its filesystem can (answers `VolumeStatus`).
    case resize(machine: Hostname, volumes: VolumeConfig, sizeBytes: UInt64)
    /// A machine's volume as it is (answers `VolumeStatus?`, nil when it has none).
    case volume(machine: Hostname, volumes: VolumeConfig)
    /// Remove a machine's volume and files (answers `Done`).
    case remove(machine: Hostname, volumes: VolumeConfig)
    /// Remove the image templates of versions not in `keeping` (answers `[String]`, the
    /// versions removed).
    case pruneImages(volumes: VolumeConfig, keeping: [String])
    /// Whether an image tarball with this checksum is on the host, whole; a damaged one
    /// is removed; its folder is made so that it can be copied there (answers `Bool`).
    case imagePresent(path: String, sha256: String)
    /// Move a copied tarball from its temporary name into place once it hashes right
    /// (answers `Done`).
    case installImage(partial: String, path: String, sha256: String)
    /// The bytes each machine's root filesystem takes, by name; machines without one
    /// are left out (answers `[String: UInt64]`).
    case diskUsed(machines: [Hostname])
}

/// The machine's identity inside its root filesystem.
public enum IdentityRequest: Sendable, Equatable, Codable {
    /// Write the machine's identity files and make its SSH host keys once (answers
    /// `IdentityWritten`).
    case write(machine: Hostname, files: [GuestFile])
    /// Write who may log in into a running machine; nothing else is touched (answers `Done`).
    case writeAccess(machine: Hostname, files: [GuestFile])
}

/// Host-side network fixes.
public enum NetworkRequest: Sendable, Equatable, Codable {
    /// Apply what the host needs once the container runs, its bandwidth shaping included
    /// (answers `Done`).
    case attach(container: ContainerProcess, bridge: String, shaping: Shaping?, portGuard: PortGuard?)
    /// Shape the running container's bandwidth both ways again (answers `Done`).
    case shape(container: ContainerProcess, shaping: Shaping)
    /// Which of these running machines lack their port rules or inbound shaping (answers
    /// `[UUID]`).
    case audit(bridge: String, expected: [PortExpectation])
    /// Remove a machine's port rules from the bridge (answers `Done`).
    case release(bridge: String, portGuard: PortGuard)
    /// Measure TCP both ways between the running container and a probe on its VLAN, then
    /// remove the probe (answers `BandwidthSample`).
    case measure(container: ContainerProcess, bridge: String, probe: ProbeSpec)
    /// Remove every bandwidth probe on the host, its bridge port included (answers `Int`,
    /// how many).
    case removeProbes(bridge: String)
}

/// A machine's bandwidth limits, bits per second each way; nil for none.
public struct Shaping: Sendable, Equatable, Codable {
    /// Into the machine.
    public let ingress: UInt64?
    /// Out of the machine.
    public let egress: UInt64?

    public init(ingress: UInt64?, egress: UInt64?) {
        self.ingress = ingress
        self.egress = egress
    }

    /// The limits of `machine`.
    public init(of machine: Machine) {
        self.init(ingress: machine.spec.ingress?.bitsPerSecond, egress: machine.spec.egress?.bitsPerSecond)
    }
}

/// Looking inside containers.
public enum InspectionRequest: Sendable, Equatable, Codable {
    /// Wait until sshd in the container answers on `ip` (answers `Bool`).
    case waitForSSH(container: ContainerProcess, ip: IPv4Address, timeoutMilliseconds: Int)
    /// Report sshd and supervisord's programs (answers `MachineHealth`); the programs only
    /// with `machine`, whose folder holds the password of its supervisord.
    case health(container: ContainerProcess, ip: IPv4Address, machine: Hostname? = nil)
}

/// What the host is.
public enum FactsRequest: Sendable, Equatable, Codable {
    /// Kernel, OVS datapath of `bridge`, reflink and free space where volumes live
    /// (`volumes`' directory for loop files, the machines directory otherwise) (answers
    /// `HostFacts`).
    case read(bridge: String, volumes: VolumeConfig)
}

/// What writing a machine's identity answers: its SSH host public keys. An older node
/// answers `{}` (nil here), which a newer control plane reads as "not said".
public struct IdentityWritten: Sendable, Equatable, Codable {
    public let hostKeys: [SSHPublicKey]?

    public init(hostKeys: [SSHPublicKey]?) { self.hostKeys = hostKeys }
}

/// The answer of a verb that returns nothing but success.
public struct Done: Sendable, Equatable, Codable {
    public init() {}
}

/// A verb's answer as it travels: the JSON of its own type.
public enum NodeReply {
    static func encode(_ value: some Encodable) throws -> Data { try JSONEncoder().encode(value) }

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, host: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            let text = String(decoding: data.prefix(200), as: UTF8.self)
            throw KennelError(.hostFailure, "kennel node on \(host) answered something that is not a \(type): \(text)")
        }
    }
}
