import Foundation
import KennelControl
import KennelModel
import Logging

/// Runs machines through libvirt, one shared connection per host URI, with a host agent
/// for what libvirt cannot do (root filesystems, guest files, looking inside containers).
///
/// One connection per URI matters beyond cost: each `test:///file.xml` connection is a
/// private simulated host, so a simulated host exists only as long as its connection.
/// Simulated hosts get no agent: their machines have no files and no insides.
public actor LibvirtHostRuntime: HostRuntime {
    /// Chooses the agent for a host, or nil for hosts without real guests.
    public typealias AgentChooser = @Sendable (ComputeHost) -> (any HostAgent)?

    private let paths: HostPaths
    private let policy: HostURIPolicy
    private let agentFor: AgentChooser
    private let logger: Logger
    private var connections: [String: Task<LibvirtConnection, any Error>] = [:]
    /// Each machine's volume as its last provision or grow reported it, by UUID: the
    /// block device its IO limits go on.
    private var volumes: [UUID: VolumeStatus] = [:]

    /// Creates a runtime that lays machine files out by `paths` and reaches each host's
    /// agent through `agentFor`. It never opens a URI that `policy` refuses.
    public init(
        paths: HostPaths = HostPaths(), policy: HostURIPolicy = .realHostsOnly,
        agentFor: @escaping AgentChooser = { _ in nil }, logger: Logger
    ) {
        self.paths = paths
        self.policy = policy
        self.agentFor = agentFor
        self.logger = logger
    }

    /// The open connection to `host`, opened on first use; a URI the policy refuses is
    /// never opened.
    public func connection(to host: ComputeHost) async throws -> LibvirtConnection {
        if let existing = connections[host.uri.text] {
            do { return try await existing.value } catch { connections[host.uri.text] = nil }
        }
        if let reason = policy.refusal(of: host.uri) {
            logger.error("host.uri-refused", metadata: ["host": "\(host.name)", "reason": "\(reason)"])
            throw KennelError(
                .hostFailure, "host \(host.name) has a URI Kennel will not connect to; fix it with PATCH /api/v1/hosts/\(host.name) uri=…")
        }
        let uri = host.uri.text
        let opening = Task { try await LibvirtConnection.open(uri) }
        connections[uri] = opening
        return try await opening.value
    }

    public func prepareFiles(_ launch: MachineLaunch, on host: ComputeHost) async throws -> [SSHPublicKey] {
        let machine = launch.machine
        let agent = agentFor(host)
        let clock = ContinuousClock()
        let started = clock.now
        try await removeLeftover(of: machine, on: host, try await connection(to: host))
        if let volume = try await agent?.provision(launch, volumes: host.volumes) {
            volumes[machine.uuid] = volume
            if let clone = volume.clone {
                logger.info(
                    "volume.cloned",
                    metadata: [
                        "machine": "\(machine.name)", "method": "\(clone.method.rawValue)", "milliseconds": "\(clone.milliseconds)",
                        "device": "\(volume.device)", "bytes": "\(volume.sizeBytes)",
                    ])
                if clone.method == .copy {
                    logger.warning(
                        "volume.plain-copy",
                        metadata: [
                            "host": "\(host.name)", "hint": "the volume directory cannot reflink: kennel host prepare --volumes loop-pool:SIZE",
                        ])
                }
            }
        }
        let hostKeys = try await agent?.writeIdentity(launch) ?? []
        logger.debug("domain.files-ready", metadata: ["machine": "\(machine.name)", "provision": "\(clock.now - started)"])
        return hostKeys
    }

    public func resize(_ machine: Machine, on host: ComputeHost) async throws {
        guard let agent = agentFor(host) else { return }
        let clock = ContinuousClock()
        let started = clock.now
        let volume = try await agent.resize(machine, volumes: host.volumes)
        volumes[machine.uuid] = volume
        let grown = clock.now
        let connection = try await connection(to: host)
        if let domain = try await connection.domain(named: machine.name.value), try await domain.state() == .running {
            try await applyBlockThrottle(machine.spec.diskIO, device: volume.device, to: domain)
            // The next start defines the domain with the same limits.
        }
        logger.info(
            "volume.resized",
            metadata: ["machine": "\(machine.name)", "bytes": "\(volume.sizeBytes)", "grow": "\(grown - started)", "total": "\(clock.now - started)"])
    }

    public func applyLimits(_ machine: Machine, on host: ComputeHost) async throws {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value) else { return }
        if let agent = agentFor(host), volumes[machine.uuid] == nil, let volume = try await agent.volume(of: machine, volumes: host.volumes) {
            volumes[machine.uuid] = volume
        }
        let definition = DomainDefinition(machine: machine, host: host, paths: paths, blockDevice: volumes[machine.uuid]?.device)
        if agentFor(host) != nil, try await domain.state() == .running {
            try await domain.setCPULimits(
                shares: UInt64(definition.cpuShares), period: UInt64(definition.cpuPeriod), quota: Int64(definition.cpuQuota))
            try await domain.setMemoryLimits(hardKiB: definition.memoryKiB, softKiB: definition.memorySoftKiB, swapHardKiB: definition.swapHardKiB)
            if let device = definition.blockDevice { try await applyBlockThrottle(machine.spec.diskIO, device: device, to: domain) }
            if let agent = agentFor(host), let container = try await container(of: domain) {
                try await agent.shape(machine, container: container)
                // The task limit follows the memory.
                try await agent.confine(machine, container: container)
            }
        }
        // The persistent definition, for the next start (the running one keeps its live values).
        _ = try await connection.define(xml: DomainXML.render(definition))
        logger.info(
            "domain.limits-applied",
            metadata: ["machine": "\(machine.name)", "cpus": "\(machine.spec.cpus)", "memory": "\(machine.spec.memory)"])
    }

    public func driftedNetwork(of machines: [Machine], on host: ComputeHost) async throws -> Set<Hostname> {
        guard let agent = agentFor(host), !machines.isEmpty else { return [] }
        let drifted = try await agent.audit(machines, bridge: host.bridge)
        return Set(machines.filter { drifted.contains($0.uuid) }.map(\.name))
    }

    public func confineContainers(on host: ComputeHost, machines: [Machine]) async throws -> [Hostname] {
        guard let agent = agentFor(host) else { return [] }
        return try await agent.confineAll(machines).compactMap { try? Hostname(parsing: $0) }
    }

    public func repairNetwork(of machine: Machine, on host: ComputeHost) async throws {
        guard let agent = agentFor(host), let domain = try await connection(to: host).domain(named: machine.name.value),
            let container = try await container(of: domain)
        else { return }
        try await agent.attach(machine, container: container, bridge: host.bridge)
    }

    public func measureBandwidth(of machine: Machine, on host: ComputeHost, peer: IPv4Address, seconds: Int) async throws -> BandwidthSample {
        guard let agent = agentFor(host) else {
            throw KennelError(.conflict, "host \(host.name) runs simulated machines: there is no traffic to measure")
        }
        guard let domain = try await connection(to: host).domain(named: machine.name.value), let container = try await container(of: domain)
        else { throw KennelError(.conflict, "\(machine.name) does not run on \(host.name); start it to measure its bandwidth") }
        return try await agent.measureBandwidth(machine, container: container, bridge: host.bridge, peer: peer, seconds: seconds)
    }

    public func writeAccess(_ access: MachineAccess, on host: ComputeHost) async throws {
        guard let agent = agentFor(host) else { return }
        try await agent.writeAccess(access)
    }

    public func removeLeftoverProbes(on host: ComputeHost) async throws -> Int {
        guard let agent = agentFor(host) else { return 0 }
        return try await agent.removeProbes(bridge: host.bridge)
    }

    public func memoryInUse(of machine: Machine, on host: ComputeHost) async throws -> ByteSize? {
        guard agentFor(host) != nil, let domain = try await connection(to: host).domain(named: machine.name.value),
            try await domain.state() == .running
        else { return nil }
        return ByteSize(bytes: try await domain.usage().memoryKiB * 1024)
    }

    private func applyBlockThrottle(_ limits: DiskIOLimits, device: String, to domain: LibvirtDomain) async throws {
        try await domain.setBlockThrottle(
            device: device, readBytes: limits.readBytesPerSecond ?? 0, writeBytes: limits.writeBytesPerSecond ?? 0,
            readIOPS: limits.readIOPS ?? 0, writeIOPS: limits.writeIOPS ?? 0)
    }

    public func startContainer(_ launch: MachineLaunch, on host: ComputeHost) async throws {
        let machine = launch.machine
        let clock = ContinuousClock()
        let started = clock.now
        let connection = try await connection(to: host)
        let xml = DomainXML.render(DomainDefinition(machine: machine, host: host, paths: paths, blockDevice: volumes[machine.uuid]?.device))
        let domain = try await connection.define(xml: xml)
        try await domain.setAutostart(true)
        if try await domain.state() != .running {
            try await domain.start()
            logger.debug("domain.started", metadata: ["machine": "\(machine.name)", "host": "\(host.name)"])
        }
        let running = clock.now
        if let agent = agentFor(host), let container = try await container(of: domain) {
            // First: the machine's init waits for it before it starts anything.
            try await agent.confine(machine, container: container)
            try await agent.attach(machine, container: container, bridge: host.bridge)
        }
        logger.debug(
            "domain.ensured",
            metadata: ["machine": "\(machine.name)", "define_start": "\(running - started)", "attach": "\(clock.now - running)"])
    }

    /// A domain of the machine's name but another UUID is left from an earlier machine of
    /// that name (a create cut short by a crash, or a delete that lost its host): it and
    /// its files are removed, so the new machine starts from its own image and host keys
    /// instead of failing with "domain already exists". A domain with the machine's own
    /// UUID is this machine's and is kept.
    private func removeLeftover(of machine: Machine, on host: ComputeHost, _ connection: LibvirtConnection) async throws {
        guard let domain = try await connection.domain(named: machine.name.value),
            try await domain.uuid() != machine.uuid
        else { return }
        logger.warning("domain.leftover-removed", metadata: ["machine": "\(machine.name)", "host": "\(host.name)"])
        try await remove(machine, from: host)
    }

    public func stop(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value),
            try await domain.state() != .shutoff
        else { return }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        do {
            try await domain.shutdown()
            while clock.now < deadline {
                if try await domain.state() == .shutoff { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            logger.warning("domain.shutdown-timeout", metadata: ["machine": "\(machine.name)", "timeout": "\(timeout)"])
        } catch let error as LibvirtError where error.isNotRunning {
            return
        } catch let error as LibvirtError {
            logger.warning("domain.shutdown-refused", metadata: ["machine": "\(machine.name)", "error": "\(error)"])
        }
        try await destroy(domain)
    }

    public func remove(_ machine: Machine, from host: ComputeHost) async throws {
        let connection = try await connection(to: host)
        if let domain = try await connection.domain(named: machine.name.value) {
            if try await domain.state() != .shutoff { try await destroy(domain) }
            do {
                try await domain.undefine()
            } catch let error as LibvirtError where error.isNoDomain {
                // Undefined concurrently: the goal is reached.
            }
        }
        try await agentFor(host)?.release(machine, bridge: host.bridge)
        try await agentFor(host)?.releaseConfinement(of: machine)
        try await agentFor(host)?.remove(machine, volumes: host.volumes)
        volumes[machine.uuid] = nil
    }

    public func pruneImages(on host: ComputeHost, keeping: Set<String>) async throws -> [String] {
        try await agentFor(host)?.pruneImages(volumes: host.volumes, keeping: keeping) ?? []
    }

    public func facts(of host: ComputeHost) async throws -> HostFacts {
        var facts = try await agentFor(host)?.facts(bridge: host.bridge, volumes: host.volumes) ?? HostFacts()
        facts.libvirt = try await connection(to: host).libraryVersion()
        return facts
    }

    public func runningMachineNames(on host: ComputeHost) async throws -> Set<String> {
        Set(try await connection(to: host).runningDomainNames())
    }

    public func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value) else { return .absent }
        return try await domain.state() == .running ? .running : .stopped
    }

    public func waitForSSH(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws -> Bool {
        guard let agent = agentFor(host) else { return true }
        guard let container = try await runningContainer(of: machine, on: host) else { return false }
        return try await agent.waitForSSH(machine, container: container, timeout: timeout)
    }

    public func health(of machine: Machine, on host: ComputeHost) async throws -> MachineHealth? {
        guard let agent = agentFor(host) else { return nil }
        guard let container = try await runningContainer(of: machine, on: host) else { return .stopped }
        return try await agent.health(machine, container: container)
    }

    private func runningContainer(of machine: Machine, on host: ComputeHost) async throws -> ContainerProcess? {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value) else { return nil }
        return try await container(of: domain)
    }

    private func container(of domain: LibvirtDomain) async throws -> ContainerProcess? {
        guard try await domain.state() == .running, let pid = try await domain.id() else { return nil }
        return ContainerProcess(controllerPID: pid, hostInterface: LiveDomainXML.hostInterface(in: try await domain.xml()))
    }

    private func destroy(_ domain: LibvirtDomain) async throws {
        do {
            try await domain.destroy()
        } catch let error as LibvirtError where error.isNotRunning {
            // Stopped between the state check and the destroy: nothing to stop.
        }
    }
}

extension LibvirtHostRuntime: UsageReader {
    /// CPU and memory from libvirt's domain info, network bytes from the host side of the
    /// machine's interface; only hosts with real guests (an agent) are read.
    public func counters(of machines: [Machine], on host: ComputeHost) async throws -> [Hostname: MachineUsage] {
        guard agentFor(host) != nil else { return [:] }
        let connection = try await connection(to: host)
        var usage: [Hostname: MachineUsage] = [:]
        for machine in machines {
            do {
                if let figures = try await counters(of: machine, connection) { usage[machine.name] = figures }
            } catch {
                // Stopped or removed while being read: it has no figures this time.
                logger.debug("usage.machine-unread", metadata: ["machine": "\(machine.name)", "error": "\(error)"])
            }
        }
        return usage
    }

    private func counters(of machine: Machine, _ connection: LibvirtConnection) async throws -> MachineUsage? {
        guard let domain = try await connection.domain(named: machine.name.value),
            try await domain.state() == .running, try await domain.uuid() == machine.uuid
        else { return nil }
        let (cpu, memory) = try await domain.usage()
        var received: Int64 = 0
        var sent: Int64 = 0
        if let device = LiveDomainXML.hostInterface(in: try await domain.xml()) {
            (received, sent) = try await domain.interfaceBytes(device: device)
        }
        return MachineUsage(
            cpuSeconds: Double(cpu) / 1e9, memoryBytes: memory * 1024, receivedBytes: UInt64(max(0, received)),
            sentBytes: UInt64(max(0, sent)))
    }

    public func diskUsed(by machines: [Machine], on host: ComputeHost) async throws -> [Hostname: UInt64] {
        guard let agent = agentFor(host), !machines.isEmpty else { return [:] }
        return try await agent.diskUsed(by: machines.map(\.name))
    }
}
