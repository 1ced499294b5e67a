import Foundation
import KennelControl
import KennelGuest
import KennelModel

/// Carries out `NodeRequest`s on this host (`kennel node call`): root filesystems and
/// guest files, SSH host keys, network fixes and looking inside containers. Every step is
/// idempotent.
public struct NodeAgent: Sendable {
    private let paths: HostPaths
    private let runner: any CommandRunner
    private let inspection: ContainerInspection
    private let volumeDriver: VolumeDriverChooser
    private let sshProbe: SSHProbe
    /// Containers already found confined, across this agent's requests.
    private let confined = ConfinedContainers()

    public init(
        paths: HostPaths = HostPaths(), runner: any CommandRunner = LocalCommandRunner(),
        inspection: ContainerInspection = ContainerInspection(), volumeDriver: @escaping VolumeDriverChooser = standardVolumeDrivers,
        sshProbe: SSHProbe = .available
    ) {
        self.sshProbe = sshProbe
        self.paths = paths
        self.runner = runner
        self.inspection = inspection
        self.volumeDriver = volumeDriver
    }

    /// Carries out `request` and answers the JSON of its verb's own answer type.
    public func handle(_ request: NodeRequest) async throws -> Data {
        switch request {
        case .rootfs(let request):
            return try await RootfsDriver(paths: paths, runner: runner, volumeDriver: volumeDriver).handle(request)
        case .identity(.write(let machine, let files)):
            let status = SupervisorRPC.serverFile(secret: try SupervisorRPC(paths: paths, runner: runner).ensureSecret(for: machine))
            try MachineFolder(paths: paths).writeFiles(files + [status], for: machine)
            let keys = HostKeys(runner: runner)
            try await keys.ensure(in: paths.rootfs(of: machine), for: machine)
            return try NodeReply.encode(IdentityWritten(hostKeys: try keys.publicKeys(in: paths.rootfs(of: machine))))
        case .identity(.writeAccess(let machine, let files)):
            try MachineFolder(paths: paths).writeFiles(files, for: machine)
            return try NodeReply.encode(Done())
        case .network(let request):
            return try await NetworkDriver(runner: runner, inspection: inspection).handle(request)
        case .inspection(.waitForSSH(let container, let ip, let timeout)):
            return try NodeReply.encode(try await waitForSSH(container, ip: ip, timeout: .milliseconds(timeout)))
        case .inspection(.health(let container, let ip, let machine)):
            return try NodeReply.encode(try await health(container, ip: ip, machine: machine))
        case .confinement(.lock(let container, let machine, let tasks)):
            guard let initPID = inspection.initPID(ofController: container.controllerPID) else {
                throw KennelError(.hostFailure, "the container of controller \(container.controllerPID) does not run")
            }
            try await confinement.lock(initPID: initPID, machine: machine.value, tasks: tasks)
            return try NodeReply.encode(Done())
        case .confinement(.lockAll(let tasks)):
            return try NodeReply.encode(try await confinement.lockAll(tasks: tasks))
        case .confinement(.release(let machine)):
            try await confinement.processLimit.remove(machine: machine.value)
            return try NodeReply.encode(Done())
        case .facts(.read(let bridge, let volumes)):
            return try NodeReply.encode(await HostFactsProbe(paths: paths, runner: runner).facts(bridge: bridge, volumes: volumes))
        }
    }

    private var confinement: ContainerConfinement {
        ContainerConfinement(runner: runner, inspection: inspection, confined: confined)
    }

    private func waitForSSH(_ container: ContainerProcess, ip: IPv4Address, timeout: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        repeat {
            if let initPID = inspection.initPID(ofController: container.controllerPID),
                try await sshAnswers(in: initPID, at: ip)
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(10))
        } while clock.now < deadline
        return false
    }

    /// sshd, and supervisord's programs as its XML-RPC server reports them (never by running
    /// the guest's `supervisorctl`: a program from the guest's disk run from here would have
    /// the host's capabilities and cgroups). No programs without the machine's name (a
    /// control plane from before) or before its first start with a password.
    private func health(_ container: ContainerProcess, ip: IPv4Address, machine: Hostname?) async throws -> MachineHealth {
        guard let initPID = inspection.initPID(ofController: container.controllerPID) else { return .stopped }
        let ssh: MachineHealth.SSHState = try await sshAnswers(in: initPID, at: ip) ? .up : .down
        guard let machine else { return MachineHealth(sshd: ssh, programs: []) }
        return MachineHealth(sshd: ssh, programs: try await SupervisorRPC(paths: paths, runner: runner).programs(of: machine, initPID: initPID))
    }

    /// sshd listens in the container and answers on the machine's address, as `sshProbe`
    /// asks from inside the container's network namespace.
    private func sshAnswers(in initPID: Int32, at ip: IPv4Address) async throws -> Bool {
        guard inspection.isListening(pid: initPID, port: 22) else { return false }
        let probe = try await runner.execute("nsenter", sshProbe.arguments(initPID: initPID, ip: ip), input: nil)
        return probe.succeeded && sshProbe.answered(probe.output)
    }
}

/// Each machine's own SSH host keys, made once on its first provisioning and kept for
/// its life (its identity never changes).
struct HostKeys {
    let runner: any CommandRunner
    static let types = ["ed25519", "ecdsa"]

    /// Makes the keys the machine lacks. ssh-keygen writes them in a directory of the host's
    /// own, and `GuestRoot` puts them in place: it never follows a link the guest made (a
    /// key path the guest turned into a link to a host path that does not exist yet would
    /// have had ssh-keygen create that host file), it replaces the link instead.
    func ensure(in rootfs: String, for machine: Hostname) async throws {
        let root = GuestRoot(path: rootfs)
        for type in Self.types {
            let key = "/etc/ssh/ssh_host_\(type)_key"
            if try Self.isKey(root, key), try Self.isKey(root, key + ".pub") { continue }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-hostkey-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            _ = try await runner.run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "root@\(machine)", "-f", scratch + "/key"])
            let secret = try String(contentsOfFile: scratch + "/key", encoding: .utf8)
            let publicHalf = try String(contentsOfFile: scratch + "/key.pub", encoding: .utf8)
            try root.write(GuestFile(path: key, contents: secret, mode: 0o600))
            try root.write(GuestFile(path: key + ".pub", contents: publicHalf, mode: 0o644))
        }
    }

    /// Whether `path` is a non-empty regular file (a link there counts as no key: it is
    /// replaced; a link on the way to it is refused).
    private static func isKey(_ root: GuestRoot, _ path: String) throws -> Bool {
        switch try root.kind(of: path) {
        case .file(let bytes): return bytes > 0
        case .missing, .link: return false
        case .other: throw KennelError(.hostFailure, "\(path) in the machine's root filesystem is not a file")
        }
    }

    /// The public halves, read without following a link the guest made (what Kennel
    /// publishes must be the machine's keys, never a host file); comments left out.
    func publicKeys(in rootfs: String) throws -> [SSHPublicKey] {
        let root = GuestRoot(path: rootfs)
        return try Self.types.compactMap { type in
            guard let text = try root.read("/etc/ssh/ssh_host_\(type)_key.pub", limit: 16_384) else { return nil }
            let parts = text.split(whereSeparator: \.isWhitespace)
            guard parts.count >= 2 else { return nil }
            return try? SSHPublicKey(parsing: "\(parts[0]) \(parts[1])")
        }
    }
}
