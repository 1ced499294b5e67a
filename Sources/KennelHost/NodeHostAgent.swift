import Foundation
import KennelControl
import KennelGuest
import KennelModel

/// The control plane's side of a host's agent: resolves images in the local image store
/// (copying them to remote hosts that lack them), renders guest files, and sends each
/// step to `kennel node call` on the host.
public struct NodeHostAgent: HostAgent {
    private let channel: any NodeChannel
    private let images: ImageStore

    public init(channel: any NodeChannel, images: ImageStore) {
        self.channel = channel
        self.images = images
    }

    public func provision(_ launch: MachineLaunch, volumes: VolumeConfig) async throws -> VolumeStatus? {
        let machine = launch.machine
        guard let image = try images.resolve(machine.spec.image) else {
            throw KennelError(
                .hostFailure, "image \(machine.spec.image) is not built on the control plane: run `kennel image build \(machine.spec.image)`")
        }
        let tarball = image.artifact.tarball.path
        if let copier = channel.copier {
            let present = try await channel.call(.rootfs(.imagePresent(path: tarball, sha256: image.artifact.sha256)), answering: Bool.self)
            if !present {
                // Copied under a temporary name; the host renames it into place only once
                // it hashes right, so an interrupted copy never counts as present.
                let partial = "\(tarball).partial-\(UUID().uuidString)"
                try await copier.copy(tarball, to: partial)
                _ = try await channel.call(
                    .rootfs(.installImage(partial: partial, path: tarball, sha256: image.artifact.sha256)), answering: Done.self)
            }
        }
        return try await channel.call(
            .rootfs(
                .provision(
                    machine: machine.name, image: image.artifact.name, tarball: tarball, sha256: image.artifact.sha256, volumes: volumes,
                    sizeBytes: machine.spec.disk.bytes, filesystem: machine.spec.filesystem)),
            answering: VolumeStatus?.self)
    }

    public func resize(_ machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus {
        try await channel.call(
            .rootfs(.resize(machine: machine.name, volumes: volumes, sizeBytes: machine.spec.disk.bytes)), answering: VolumeStatus.self)
    }

    public func volume(of machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus? {
        try await channel.call(.rootfs(.volume(machine: machine.name, volumes: volumes)), answering: VolumeStatus?.self)
    }

    public func pruneImages(volumes: VolumeConfig, keeping: Set<String>) async throws -> [String] {
        try await channel.call(.rootfs(.pruneImages(volumes: volumes, keeping: keeping.sorted())), answering: [String].self)
    }

    public func writeIdentity(_ launch: MachineLaunch) async throws -> [SSHPublicKey]? {
        let machine = launch.machine
        let identity = GuestIdentity(
            machine: machine, dns: launch.dns, searchDomain: launch.searchDomain, authorizedKeys: launch.authorizedKeys,
            principals: launch.principals, userCA: launch.userCA)
        let written = try await channel.call(
            .identity(.write(machine: machine.name, files: GuestFiles.render(identity))), answering: IdentityWritten.self)
        return written.hostKeys
    }

    public func writeAccess(_ access: MachineAccess) async throws {
        let files = GuestFiles.lists(authorizedKeys: access.authorizedKeys, principals: access.principals, userCA: access.userCA)
        _ = try await channel.call(.identity(.writeAccess(machine: access.machine.name, files: files)), answering: Done.self)
    }

    public func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws {
        _ = try await channel.call(
            .network(.attach(container: container, bridge: bridge, shaping: Shaping(of: machine), portGuard: PortGuard(of: machine))),
            answering: Done.self)
    }

    public func release(_ machine: Machine, bridge: String) async throws {
        _ = try await channel.call(.network(.release(bridge: bridge, portGuard: PortGuard(of: machine))), answering: Done.self)
    }

    public func audit(_ machines: [Machine], bridge: String) async throws -> Set<UUID> {
        let expected = machines.map { PortExpectation(uuid: $0.uuid, portGuard: PortGuard(of: $0), shapedInbound: $0.spec.ingress != nil) }
        return Set(try await channel.call(.network(.audit(bridge: bridge, expected: expected)), answering: [UUID].self))
    }

    public func shape(_ machine: Machine, container: ContainerProcess) async throws {
        _ = try await channel.call(.network(.shape(container: container, shaping: Shaping(of: machine))), answering: Done.self)
    }

    public func measureBandwidth(
        _ machine: Machine, container: ContainerProcess, bridge: String, peer: IPv4Address, seconds: Int
    ) async throws -> BandwidthSample {
        let network = machine.network
        let probe = ProbeSpec(address: peer, prefix: network.prefix, vlan: network.vlan, machineAddress: network.ip, seconds: seconds)
        return try await channel.call(.network(.measure(container: container, bridge: bridge, probe: probe)), answering: BandwidthSample.self)
    }

    public func removeProbes(bridge: String) async throws -> Int {
        try await channel.call(.network(.removeProbes(bridge: bridge)), answering: Int.self)
    }

    public func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool {
        return try await channel.call(
            .inspection(.waitForSSH(container: container, ip: machine.network.ip, timeoutMilliseconds: timeout.wholeMilliseconds)),
            answering: Bool.self)
    }

    public func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth {
        try await channel.call(
            .inspection(.health(container: container, ip: machine.network.ip, machine: machine.name)), answering: MachineHealth.self)
    }

    public func confine(_ machine: Machine, container: ContainerProcess) async throws {
        _ = try await channel.call(
            .confinement(.lock(container: container, machine: machine.name, tasks: machine.spec.processLimit)), answering: Done.self)
    }

    public func confineAll(_ machines: [Machine]) async throws -> [String] {
        let tasks = Dictionary(machines.map { ($0.name.value, $0.spec.processLimit) }, uniquingKeysWith: { first, _ in first })
        return try await channel.call(.confinement(.lockAll(tasks: tasks)), answering: [String].self)
    }

    public func releaseConfinement(of machine: Machine) async throws {
        _ = try await channel.call(.confinement(.release(machine: machine.name)), answering: Done.self)
    }

    public func facts(bridge: String, volumes: VolumeConfig) async throws -> HostFacts {
        try await channel.call(.facts(.read(bridge: bridge, volumes: volumes)), answering: HostFacts.self)
    }

    public func diskUsed(by machines: [Hostname]) async throws -> [Hostname: UInt64] {
        let used = try await channel.call(.rootfs(.diskUsed(machines: machines)), answering: [String: UInt64].self)
        return Dictionary(uniqueKeysWithValues: used.compactMap { name, bytes in (try? Hostname(parsing: name)).map { ($0, bytes) } })
    }

    public func remove(_ machine: Machine, volumes: VolumeConfig) async throws {
        _ = try await channel.call(.rootfs(.remove(machine: machine.name, volumes: volumes)), answering: Done.self)
    }
}
