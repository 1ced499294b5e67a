import Foundation
@testable import KennelLibvirt
import KennelControl
import KennelModel
import KennelTesting
import Logging
import Testing

/// Records what the runtime asks of a host agent.
actor RecordingAgent: HostAgent {
    private(set) var steps: [String] = []
    private(set) var containers: [ContainerProcess] = []
    var sshAnswers = true

    func confine(_ machine: Machine, container: ContainerProcess) async throws { steps.append("confine \(machine.name)") }
    func confineAll(_ machines: [Machine]) async throws -> [String] { ["web-07"] }
    func releaseConfinement(of machine: Machine) async throws { steps.append("release confinement \(machine.name)") }

    func provision(_ launch: MachineLaunch, volumes: VolumeConfig) async throws -> VolumeStatus? {
        steps.append("provision \(launch.machine.name) on \(volumes)")
        return VolumeStatus(
            sizeBytes: launch.machine.spec.disk.bytes, device: "/dev/loop7", filesystem: "xfs", clone: VolumeClone(method: .reflink, milliseconds: 1))
    }
    func volume(of machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus? { nil }
    func resize(_ machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus {
        steps.append("grow \(machine.name) to \(machine.spec.disk)")
        return VolumeStatus(sizeBytes: machine.spec.disk.bytes, device: "/dev/loop7", filesystem: "xfs")
    }
    func pruneImages(volumes: VolumeConfig, keeping: Set<String>) async throws -> [String] { [] }
    func writeIdentity(_ launch: MachineLaunch) async throws -> [SSHPublicKey]? {
        steps.append("identity \(launch.machine.name)")
        return nil
    }
    func facts(bridge: String, volumes: VolumeConfig) async throws -> HostFacts { HostFacts(kernel: "recorded") }
    func audit(_ machines: [Machine], bridge: String) async throws -> Set<UUID> { [] }
    func release(_ machine: Machine, bridge: String) async throws {}
    func shape(_ machine: Machine, container: ContainerProcess) async throws {}
    func measureBandwidth(_ machine: Machine, container: ContainerProcess, bridge: String, peer: IPv4Address, seconds: Int) async throws
        -> BandwidthSample
    {
        steps.append("measure \(machine.name) against \(peer) on \(bridge) for \(seconds) s")
        return BandwidthSample(egressBitsPerSecond: 96_000_000, ingressBitsPerSecond: 48_000_000)
    }
    func writeAccess(_ access: MachineAccess) async throws {}
    func removeProbes(bridge: String) async throws -> Int {
        steps.append("removeProbes \(bridge)")
        return 0
    }
    func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws {
        steps.append("attach \(machine.name)")
        containers.append(container)
    }
    func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool {
        steps.append("waitForSSH \(machine.name)")
        return sshAnswers
    }
    func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth {
        steps.append("health \(machine.name)")
        return MachineHealth(sshd: .up, programs: [])
    }
    func remove(_ machine: Machine, volumes: VolumeConfig) async throws { steps.append("remove \(machine.name)") }
}

@Suite("libvirt host runtime with a host agent (test driver)")
struct HostAgentRuntimeTests {
    @Test("files come before the domain; after its start, confinement first (init waits for it), then network fixes, with the running container's id")
    func order() async throws {
        let agent = RecordingAgent()
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), agentFor: { _ in agent }, logger: Logger.silent)
        let host = try Fixtures.simulatedHost()
        let machine = Fixtures.machine()
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        #expect(
            await agent.steps == ["provision web-01 on loopfile:/var/lib/kennel/volumes", "identity web-01", "confine web-01", "attach web-01"])
        #expect(
            try await runtime.confineContainers(on: host, machines: [machine]) == [try Hostname(parsing: "web-07")],
            "the reconciler's pass, host-wide")
        #expect(try await runtime.waitForSSH(machine, on: host, timeout: .seconds(1)))
        #expect(try await runtime.health(of: machine, on: host)?.sshd == .up)
        let container = try #require(await agent.containers.first)
        let domain = try #require(try await runtime.connection(to: host).domain(named: "web-01"))
        #expect(try await container.controllerPID == domain.id())
        try await runtime.remove(machine, from: host)
        #expect(await agent.steps.suffix(2) == ["release confinement web-01", "remove web-01"], "the task cap goes before the volume")
        #expect(try await runtime.presence(of: machine, on: host) == .absent)
    }

    @Test("the domain throttles the volume's device the provision reported; a resize grows through the agent")
    func volumeDevice() async throws {
        let agent = RecordingAgent()
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), agentFor: { _ in agent }, logger: Logger.silent)
        let host = try Fixtures.simulatedHost()
        var machine = Fixtures.machine()
        machine.spec.diskIO = DiskIOLimits(writeBytesPerSecond: 20 << 20)
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        let domain = try #require(try await runtime.connection(to: host).domain(named: "web-01"))
        let xml = try await domain.xml()
        #expect(xml.contains("<path>/dev/loop7</path>") && xml.contains("<write_bytes_sec>20971520</write_bytes_sec>"))
        try await runtime.stop(machine, on: host, timeout: .seconds(1))
        machine.spec.disk = .gibibytes(20)
        try await runtime.resize(machine, on: host)
        #expect(await agent.steps.last == "grow web-01 to 20G")
    }

    @Test("stop shuts the domain off and keeps it defined; a stopped machine reports sshd down without asking the agent")
    func stop() async throws {
        let agent = RecordingAgent()
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), agentFor: { _ in agent }, logger: Logger.silent)
        let host = try Fixtures.simulatedHost()
        let machine = Fixtures.machine()
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        try await runtime.stop(machine, on: host, timeout: .seconds(5))
        try await runtime.stop(machine, on: host, timeout: .seconds(5))
        #expect(try await runtime.presence(of: machine, on: host) == .stopped)
        #expect(try await runtime.health(of: machine, on: host) == .stopped)
        #expect(try await !runtime.waitForSSH(machine, on: host, timeout: .seconds(1)))
        #expect(await !agent.steps.contains("health web-01"))
    }

    @Test("facts: libvirt's version from the connection; on simulated hosts nothing else")
    func facts() async throws {
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), logger: Logger.silent)
        let facts = try await runtime.facts(of: try Fixtures.simulatedHost())
        #expect(facts.libvirt?.split(separator: ".").count == 3)
        #expect(facts.kernel == nil && facts.ovsDatapath == nil)
    }

    @Test("hosts without an agent (simulated) answer sshd at once and have no health")
    func noAgent() async throws {
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), logger: Logger.silent)
        let host = try Fixtures.simulatedHost()
        let machine = Fixtures.machine()
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        #expect(try await runtime.waitForSSH(machine, on: host, timeout: .seconds(1)))
        #expect(try await runtime.health(of: machine, on: host) == nil)
    }

    @Test(
        "the host side of the interface is read from the live XML",
        arguments: [
            (
                "<domain><devices><interface type='bridge'><mac address='52:54:00:00:00:01'/><target dev='vnet3'/></interface></devices></domain>",
                "vnet3"
            ),
            ("<domain><devices><interface type=\"bridge\"><target dev=\"veth9\"/></interface></devices></domain>", "veth9"),
            ("<domain><devices><filesystem><target dev='x'/></filesystem><interface type='bridge'></interface></devices></domain>", nil),
            ("<domain/>", nil),
        ] as [(String, String?)])
    func hostInterface(xml: String, expected: String?) {
        #expect(LiveDomainXML.hostInterface(in: xml) == expected)
    }
}
