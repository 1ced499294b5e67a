import Foundation
@testable import KennelLibvirt
import KennelControl
import KennelModel
import KennelStore
import KennelTesting
import Logging
import Testing

/// A host agent that keeps the set of machines whose files exist on the host and takes
/// a little time to provision, so creates and deletes interleave.
actor FileTrackingAgent: HostAgent {
    private(set) var files: Set<String> = []

    func writeIdentity(_ launch: MachineLaunch) async throws -> [SSHPublicKey]? { nil }
    func facts(bridge: String, volumes: VolumeConfig) async throws -> HostFacts { HostFacts() }
    func provision(_ launch: MachineLaunch, volumes: VolumeConfig) async throws -> VolumeStatus? {
        try await Task.sleep(for: .microseconds(Int.random(in: 0...3_000)))
        files.insert(launch.machine.name.value)
        return nil
    }
    func volume(of machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus? { nil }
    func resize(_ machine: Machine, volumes: VolumeConfig) async throws -> VolumeStatus {
        VolumeStatus(sizeBytes: machine.spec.disk.bytes, device: "/dev/loop0", filesystem: "xfs")
    }
    func pruneImages(volumes: VolumeConfig, keeping: Set<String>) async throws -> [String] { [] }
    func audit(_ machines: [Machine], bridge: String) async throws -> Set<UUID> { [] }
    func release(_ machine: Machine, bridge: String) async throws {}
    func shape(_ machine: Machine, container: ContainerProcess) async throws {}
    func measureBandwidth(_ machine: Machine, container: ContainerProcess, bridge: String, peer: IPv4Address, seconds: Int) async throws
        -> BandwidthSample
    { BandwidthSample(egressBitsPerSecond: 0, ingressBitsPerSecond: 0) }
    func writeAccess(_ access: MachineAccess) async throws {}
    func removeProbes(bridge: String) async throws -> Int { 0 }
    func attach(_ machine: Machine, container: ContainerProcess, bridge: String) async throws {}
    func confine(_ machine: Machine, container: ContainerProcess) async throws {}
    func confineAll(_ machines: [Machine]) async throws -> [String] { [] }
    func releaseConfinement(of machine: Machine) async throws {}
    func waitForSSH(_ machine: Machine, container: ContainerProcess, timeout: Duration) async throws -> Bool {
        try await Task.sleep(for: .microseconds(Int.random(in: 0...2_000)))
        return true
    }
    func health(_ machine: Machine, container: ContainerProcess) async throws -> MachineHealth { MachineHealth(sshd: .up, programs: []) }
    func remove(_ machine: Machine, volumes: VolumeConfig) async throws { files.remove(machine.name.value) }
}

@Suite("Creates and deletes of the same names, racing, on libvirt's test driver")
struct CreateDeleteRaceTests {
    @Test("many rounds of parallel creates and deletes end with no domain, file or lease without its machine")
    func race() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-race-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var uris: [Hostname: String] = [:]
        let site = TestSite.make(zones: 1, racks: 2, hostsPerRack: 1, cidr: "10.100.0.0/28") { name in
            let uri = (try? SimulatedHost.prepare(name: name, cpus: 8, memory: .gibibytes(32), in: directory)) ?? "test:///missing"
            uris[name] = uri
            return uri
        }
        let agent = FileTrackingAgent()
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), agentFor: { _ in agent }, logger: Logger.silent)
        let plane = try await TestControlPlane.make(site: site, runtime: runtime)
        let machines = plane.services.machines
        let names = (1...4).map { TestSite.value("m-\($0)") as Hostname }

        for _ in 1...25 {
            await withTaskGroup(of: Void.self) { group in
                for name in names {
                    group.addTask {
                        if let created = try? await machines.create(TestSite.request(name.value)) {
                            // A create that answers found its machine in place when it answered.
                            #expect(created.state == .running)
                        }
                    }
                    group.addTask { try? await machines.delete(named: name) }
                    group.addTask { try? await machines.delete(named: name) }
                }
            }
            try await audit(plane, runtime: runtime, agent: agent, hosts: site.hosts)
        }
        for name in names { try? await machines.delete(named: name) }
        try await audit(plane, runtime: runtime, agent: agent, hosts: site.hosts)
        #expect(try await plane.store.machines().isEmpty)
        #expect(await agent.files.isEmpty)
    }

    @Test("a create that finds a leftover domain of its name (another UUID) removes it and its files, then succeeds")
    func leftoverDomain() async throws {
        let host = try Fixtures.simulatedHost("z1-r1-h1")
        let site = TestSite.make(zones: 1, racks: 1, hostsPerRack: 1) { _ in host.uri.text }
        let agent = RecordingAgent()
        let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), agentFor: { _ in agent }, logger: Logger.silent)
        let stale = Fixtures.machine(uuid: "11111111-2222-4333-8444-555555555555")
        let connection = try await runtime.connection(to: host)
        let leftover = try await connection.define(xml: DomainXML.render(DomainDefinition(machine: stale, host: host, paths: HostPaths())))
        try await leftover.start()
        let plane = try await TestControlPlane.make(site: site, runtime: runtime)
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        #expect(try await connection.domain(named: "web-01")?.uuid() == machine.uuid)
        #expect(
            await agent.steps.prefix(4) == [
                "release confinement web-01", "remove web-01", "provision web-01 on loopfile:/var/lib/kennel/volumes", "identity web-01",
            ])
        #expect(try await plane.services.machines.machine(named: machine.name).state == .running)
    }

    /// Every domain and every machine's files belong to a stored machine of that name
    /// and UUID; every running machine has its domain; every active lease has its
    /// machine; no machine is left half-created or half-deleted.
    private func audit(_ plane: TestControlPlane, runtime: LibvirtHostRuntime, agent: FileTrackingAgent, hosts: [ComputeHost]) async throws {
        let stored = try await plane.store.machines()
        let byName = Dictionary(uniqueKeysWithValues: stored.map { ($0.name.value, $0) })
        var domains: [String: UUID] = [:]
        for host in hosts {
            for domain in try await runtime.connection(to: host).domains() {
                domains[try await domain.name()] = try await domain.uuid()
            }
        }
        for (name, uuid) in domains {
            #expect(byName[name]?.uuid == uuid, "domain \(name) has no machine of its UUID")
        }
        for machine in stored {
            #expect(machine.state == .running || machine.state == .failed, "machine \(machine.name) left \(machine.state)")
            if machine.state == .running { #expect(domains[machine.name.value] == machine.uuid, "running \(machine.name) has no domain") }
        }
        #expect(await agent.files.isSubset(of: Set(byName.keys)), "files without a machine")
        let leases = try await plane.store.transaction { try $0.leases(in: TestSite.value("pool-a")) }
        for lease in leases where lease.state == .active {
            #expect(byName[lease.machine.value] != nil, "lease \(lease.address) held by missing \(lease.machine)")
        }
        #expect(leases.filter { $0.state == .active }.count == stored.count)
    }
}
