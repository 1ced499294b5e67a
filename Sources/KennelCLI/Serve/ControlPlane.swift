import Foundation
import KennelControl
import KennelHost
import KennelLibvirt
import KennelModel
import KennelStore
import Logging

/// Where `serve` keeps its state and finds its site.
struct ServeSettings: Sendable {
    var siteFile: URL
    var dataDirectory: URL
    /// The image store machines' images come from.
    var imagesDirectory = "/var/lib/kennel/images"
    /// The kennel binary on remote hosts (installed by `kennel host prepare`).
    var remoteKennel = "/usr/local/bin/kennel"
    var timeouts = LifecycleTimeouts()
    /// Where to keep the bastion's authorized_keys up to date, if anywhere.
    var bastionKeys: String?
    /// A program run with that path after each write of it.
    var bastionReload: String?

    var databasePath: String { dataDirectory.appendingPathComponent("kennel.sqlite").path }
    /// The first admin's token, written on the first start (0600).
    var adminTokenPath: String { dataDirectory.appendingPathComponent("admin-token").path }
    /// Where the SSH user CA's key lives (0700; the key 0600).
    var sshDirectory: String { dataDirectory.appendingPathComponent("ssh").path }
    var simulatedHostsDirectory: URL { dataDirectory.appendingPathComponent("simulated-hosts").standardizedFileURL }

    /// Host URIs this control plane connects to: test-driver URIs only on a simulated
    /// site, and only for the host files it wrote itself.
    func uriPolicy(simulated: Bool) -> HostURIPolicy {
        simulated ? HostURIPolicy(simulatedHosts: .filesIn(directory: simulatedHostsDirectory.path)) : .realHostsOnly
    }
}

/// The assembled control plane: store, libvirt runtime and services, with the site
/// loaded and hosts reconciled against the store.
struct ControlPlane: Sendable {
    let store: SQLiteMachineStore
    let runtime: LibvirtHostRuntime
    let services: KennelServices

    /// Opens the store, loads the site, and brings every host in line with the store
    /// (after a restart, simulated hosts are empty and get their machines back).
    static func start(_ settings: ServeSettings, logger: Logger) async throws -> ControlPlane {
        try FileManager.default.createDirectory(at: settings.dataDirectory, withIntermediateDirectories: true)
        let config = try SiteConfig.load(from: settings.siteFile)
        let policy = settings.uriPolicy(simulated: config.simulated)
        let site = try config.resolve(policy: policy) { entry in
            try SimulatedHost.prepare(
                name: entry.name, cpus: entry.cpus.value, memory: entry.memory, in: settings.simulatedHostsDirectory
            )
        }
        let store = try SQLiteMachineStore(path: settings.databasePath)
        let runtime = LibvirtHostRuntime(paths: HostPaths(), policy: policy, agentFor: HostAgents.chooser(settings), logger: logger)
        let images: any ImageCatalog =
            config.simulated
            ? FixedImageCatalog.simulated : StoredImageCatalog(store: ImageStore(root: settings.imagesDirectory))
        let services = KennelServices(
            store: store, runtime: runtime, images: images, timeouts: settings.timeouts, uriPolicy: policy, usageReader: runtime,
            certificateAuthority: OpenSSHCertificateAuthority(directory: settings.sshDirectory),
            bastionFile: settings.bastionKeys.map { BastionKeysFile.writer($0, reload: settings.bastionReload) }, logger: logger)
        try await services.inventory.apply(site)
        for refused in try await services.hosts.setAsideRefusedURIs() {
            logger.error(
                "host.uri-refused",
                metadata: [
                    "host": "\(refused.host)", "reason": "\(refused.reason)",
                    "action": "not connected; set to maintenance until its uri is fixed",
                ])
        }
        for operation in try await services.operations.interruptUnfinished() {
            logger.warning(
                "operation.interrupted",
                metadata: ["operation": "\(operation.id)", "kind": "\(operation.kind)", "machine": "\(operation.machine)"])
        }
        _ = try await services.bandwidth.removeLeftoverProbes()
        await services.sshCertificates.publishAuthority()
        await services.bastion.refresh()
        if let secret = try await services.access.bootstrap() {
            try AdminTokenFile.write(secret, to: settings.adminTokenPath)
            logger.notice("access.first-admin", metadata: ["user": "\(AccessService.firstAdmin)", "token_file": "\(settings.adminTokenPath)"])
            FileHandle.standardOutput.write(
                Data("Kennel's first admin token (shown once; also in \(settings.adminTokenPath), mode 0600):\n\(secret.text)\n".utf8))
        }
        let report = try await services.reconciler.reconcile()
        logger.notice(
            "kennel.started",
            metadata: [
                "database": "\(settings.databasePath)", "hosts": "\(site.hosts.count)", "pools": "\(site.pools.count)",
                "restored": "\(report.restored.count)", "reconcile_failures": "\(report.failures.count)",
            ])
        for (machine, reason) in report.failures {
            logger.error("reconcile.failure", metadata: ["machine": "\(machine)", "reason": "\(reason)"])
        }
        return ControlPlane(store: store, runtime: runtime, services: services)
    }
}

/// The bastion's authorized_keys file: replaced whole (a temporary file renamed over it),
/// 0644, so the bastion's sshd never reads half of it; then `reload`, if given, is run
/// with the path as its only argument (no shell), and must exit 0 or the write is tried
/// again at the next refresh.
enum BastionKeysFile {
    static func writer(_ path: String, reload: String?) -> @Sendable (String) async throws -> Void {
        { text in
            let temporary = path + ".kennel-new"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
                throw KennelError(.internal, "cannot write the bastion's keys to \(temporary)")
            }
            guard rename(temporary, path) == 0 else { throw KennelError(.internal, "cannot put the bastion's keys in place at \(path)") }
            if let reload { _ = try await LocalCommandRunner().run(reload, [path]) }
        }
    }
}

/// The file holding the first admin's token: made with mode 0600 (never readable by
/// others, not even for a moment), replaced whole.
enum AdminTokenFile {
    static func write(_ secret: TokenSecret, to path: String) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: path)
        guard manager.createFile(atPath: path, contents: Data((secret.text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KennelError(.internal, "cannot write the admin token to \(path)")
        }
    }
}

/// Which agent does a host's own steps, by its libvirt URI: none for simulated hosts
/// (`test:`), this machine's node agent in-process for local ones (`lxc:///system`), the
/// host's `kennel node call` over SSH for `lxc+ssh://` ones. A URI that is not an allowed
/// `LibvirtURI` gets an agent that refuses every step.
enum HostAgents {
    static func chooser(_ settings: ServeSettings) -> LibvirtHostRuntime.AgentChooser {
        let images = ImageStore(root: settings.imagesDirectory)
        let remoteKennel = settings.remoteKennel
        // One for every local host: what it has learnt (containers already confined) lasts.
        let thisMachine = NodeAgent()
        return { host in
            guard let uri = host.uri.parsed else { return UnreachableHostAgent(host: host.name) }
            switch uri.transport {
            case .test: return nil
            case .local: return NodeHostAgent(channel: InProcessNodeChannel(agent: thisMachine), images: images)
            case .ssh:
                guard let target = SSHTarget(uri: uri) else { return UnreachableHostAgent(host: host.name) }
                return NodeHostAgent(channel: SSHNodeChannel(target: target, remoteExecutable: remoteKennel), images: images)
            }
        }
    }
}

/// The agent of a host whose URI names a transport Kennel cannot run its steps over.
struct UnreachableHostAgent: HostAgent {
    let host: Hostname

    private var refusal: KennelError {
        KennelError(
            .hostFailure, "host \(host) has a URI Kennel will not connect to; Kennel reaches hosts as lxc:///system or lxc+ssh://USER@HOST/system")
    }

    func provision(_ launch: MachineLaunch, volumes: VolumeConfig) async throws -> VolumeStatus? { throw refusal }
    func resize(_ machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus { throw refusal }
    func volume(of machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus? { throw refusal }
    func shape(_ machine: Machine, container: ContainerProcess) async throws { throw refusal }
    func measureBandwidth(_ machine: Machine, container: ContainerProcess, bridge: String, peer: IPv4Address, seconds: Int) async throws
        -> BandwidthSample
    { throw refusal }
    func removeProbes(bridge: String) async throws -> Int { throw refusal }
    func release(_ machine: Machine, bridge: String) async throws { throw refusal }
    func audit(_ machines: [Machine], bridge: String) async throws -> Set<UUID> { throw refusal }
    func pruneImages(volumes: VolumeConfig, keeping: Set<String>) async throws -> [String] { throw refusal }
    func writeIdentity(_ launch: MachineLaunch) async throws -> [SSHPublicKey]? { throw refusal }
    func writeAccess(_ access: MachineAccess) async throws { throw refusal }
    func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws { throw refusal }
    func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool { throw refusal }
    func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth { throw refusal }
    func remove(_ machine: Machine, volumes: VolumeConfig) async throws { throw refusal }
    func facts(bridge: String, volumes: VolumeConfig) async throws -> HostFacts { throw refusal }
    func confine(_ machine: Machine, container: ContainerProcess) async throws { throw refusal }
    func confineAll(_ machines: [Machine]) async throws -> [String] { throw refusal }
    func releaseConfinement(of machine: Machine) async throws { throw refusal }
}
