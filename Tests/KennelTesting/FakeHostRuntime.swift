import Foundation
import KennelControl
import KennelModel

/// An in-memory host runtime: remembers which machines are defined and running on which
/// host, and can be told to fail.
public actor FakeHostRuntime: HostRuntime {
    /// Domains per host name, by machine name.
    public private(set) var domains: [Hostname: [Hostname: DomainPresence]] = [:]
    /// Every call, in order, as "verb machine@host".
    public private(set) var calls: [String] = []
    private var failingHosts: Set<Hostname> = []
    private var silentSSH: Set<Hostname> = []
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    /// The launches given to `startContainer`, by machine name (the last one wins).
    public private(set) var launches: [Hostname: MachineLaunch] = [:]
    /// How many host listings and single-machine lookups the reconciler made.
    public private(set) var listings = 0
    public private(set) var presenceLookups = 0

    public init() {}

    /// Makes `startContainer` fail on `host` from now on.
    public func failStarts(on host: Hostname) { failingHosts.insert(host) }

    /// Makes every `startContainer` wait (after recording its call) until `releaseStarts`.
    public func holdStarts() { holding = true }

    /// Lets held and future starts proceed.
    public func releaseStarts() {
        holding = false
        for continuation in held { continuation.resume() }
        held = []
    }

    /// Makes sshd of `machine` never answer from now on.
    public func silenceSSH(of machine: Hostname) { silentSSH.insert(machine) }

    /// Stops a machine's container behind Kennel's back, as a crash would.
    public func crash(_ machine: Hostname, on host: Hostname) { domains[host]?[machine] = .stopped }

    /// Forgets every domain, as a simulated host does when its process restarts.
    public func wipe() { domains = [:] }

    /// Every machine defined anywhere.
    public var definedMachines: [Hostname] { domains.values.flatMap(\.keys).sorted() }

    /// What `prepareFiles` refuses with (a host's own refusal, e.g. `no_capacity`), per host.
    private var fileRefusals: [Hostname: KennelError] = [:]
    /// Makes `prepareFiles` and `resize` throw `refusal` on `host` from now on.
    public func refuseFiles(on host: Hostname, with refusal: KennelError) { fileRefusals[host] = refusal }

    public func prepareFiles(_ launch: MachineLaunch, on host: ComputeHost) async throws -> [SSHPublicKey] {
        calls.append("prepareFiles \(launch.machine.name)@\(host.name)")
        if let refusal = fileRefusals[host.name] { throw refusal }
        return [try FakeHostRuntime.hostKey(of: launch.machine)]
    }

    /// The host key the fake makes for a machine: an Ed25519 key line whose body names it.
    public static func hostKey(of machine: Machine) throws -> SSHPublicKey {
        let body = Data(("\u{0}\u{0}\u{0}\u{b}ssh-ed25519\u{0}\u{0}\u{0}\u{20}" + machine.uuid.uuidString.prefix(32)).utf8).base64EncodedString()
        return try SSHPublicKey(parsing: "ssh-ed25519 \(body)")
    }

    public func startContainer(_ launch: MachineLaunch, on host: ComputeHost) async throws {
        let machine = launch.machine
        launches[machine.name] = launch
        calls.append("startContainer \(machine.name)@\(host.name)")
        if holding { await withCheckedContinuation { held.append($0) } }
        guard !failingHosts.contains(host.name) else {
            domains[host.name, default: [:]][machine.name] = .stopped
            throw FakeHostError(message: "simulated start failure on \(host.name)")
        }
        domains[host.name, default: [:]][machine.name] = .running
    }

    public func stop(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws {
        calls.append("stop \(machine.name)@\(host.name)")
        if domains[host.name]?[machine.name] != nil { domains[host.name]?[machine.name] = .stopped }
    }

    public func waitForSSH(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws -> Bool {
        calls.append("waitForSSH \(machine.name)@\(host.name)")
        return domains[host.name]?[machine.name] == .running && !silentSSH.contains(machine.name)
    }

    public func health(of machine: Machine, on host: ComputeHost) async throws -> MachineHealth? {
        guard domains[host.name]?[machine.name] == .running else { return .stopped }
        return MachineHealth(
            sshd: silentSSH.contains(machine.name) ? .down : .up,
            programs: [ProgramStatus(name: "sshd", state: "RUNNING", detail: "pid 4")])
    }

    /// Disk sizes each resize gave, by machine.
    public private(set) var resized: [Hostname: ByteSize] = [:]

    /// The task limits each host's last confinement pass was given, by machine.
    public private(set) var taskLimits: [Hostname: [Hostname: Int]] = [:]

    public func confineContainers(on host: ComputeHost, machines: [Machine]) async throws -> [Hostname] {
        taskLimits[host.name] = Dictionary(uniqueKeysWithValues: machines.map { ($0.name, $0.spec.processLimit) })
        return []
    }

    /// Machines whose network the next checks find drifted; the repairs made.
    public private(set) var driftedNetworks: Set<Hostname> = []
    public private(set) var networkRepairs: [Hostname] = []
    public func setDriftedNetwork(_ names: Set<Hostname>) { driftedNetworks = names }

    public func driftedNetwork(of machines: [Machine], on host: ComputeHost) async throws -> Set<Hostname> {
        driftedNetworks.intersection(machines.map(\.name))
    }

    public func repairNetwork(of machine: Machine, on host: ComputeHost) async throws {
        networkRepairs.append(machine.name)
        driftedNetworks.remove(machine.name)
    }

    /// Specs each limits change applied, by machine.
    public private(set) var limited: [Hostname: MachineSpec] = [:]
    /// Memory each running machine uses, as its host would say.
    public private(set) var memoryUsed: [Hostname: ByteSize] = [:]
    public func setMemoryUsed(_ size: ByteSize, of machine: Hostname) { memoryUsed[machine] = size }

    /// Whether the next limits change fails (after the host took half of it).
    public private(set) var failNextLimits = false
    public func failLimitsOnce() { failNextLimits = true }

    public func applyLimits(_ machine: Machine, on host: ComputeHost) async throws {
        calls.append("limits \(machine.name)@\(host.name)")
        if failingHosts.contains(host.name) { throw FakeHostError(message: "simulated limits failure on \(host.name)") }
        if failNextLimits {
            failNextLimits = false
            limited[machine.name] = machine.spec
            throw FakeHostError(message: "simulated failure half-way through the limits on \(host.name)")
        }
        limited[machine.name] = machine.spec
    }

    public func memoryInUse(of machine: Machine, on host: ComputeHost) async throws -> ByteSize? { memoryUsed[machine.name] }

    /// Bandwidth self-tests asked for: machine, peer address and seconds, in order.
    public private(set) var measurements: [(machine: Hostname, peer: IPv4Address, seconds: Int)] = []
    /// What a measurement achieves each way, as fractions of the machine's limits (1 G
    /// assumed where it has none).
    public var achievedFraction = 0.96
    /// When set, the next measurement waits for this long (a slow iperf3).
    public var measurementDelay: Duration?
    public func setMeasurementDelay(_ delay: Duration?) { measurementDelay = delay }

    /// The key lists written into running machines, by machine (the last one wins).
    public private(set) var accessWritten: [Hostname: [SSHPublicKey]] = [:]
    /// The certificate principals written into running machines, by machine.
    public private(set) var accessPrincipals: [Hostname: [String]] = [:]

    public func writeAccess(_ access: MachineAccess, on host: ComputeHost) async throws {
        calls.append("writeAccess \(access.machine.name)@\(host.name)")
        accessWritten[access.machine.name] = access.authorizedKeys
        accessPrincipals[access.machine.name] = access.principals
    }

    /// Probes each host still has (left by a test a crash interrupted).
    public private(set) var leftoverProbes: [Hostname: Int] = [:]
    public func leaveProbes(_ count: Int, on host: Hostname) { leftoverProbes[host] = count }

    public func removeLeftoverProbes(on host: ComputeHost) async throws -> Int {
        calls.append("removeProbes @\(host.name)")
        return leftoverProbes.removeValue(forKey: host.name) ?? 0
    }

    public func measureBandwidth(of machine: Machine, on host: ComputeHost, peer: IPv4Address, seconds: Int) async throws -> BandwidthSample {
        calls.append("measure \(machine.name)@\(host.name)")
        measurements.append((machine.name, peer, seconds))
        if let measurementDelay { try await Task.sleep(for: measurementDelay) }
        if failingHosts.contains(host.name) { throw FakeHostError(message: "simulated iperf3 failure on \(host.name)") }
        func achieved(_ limit: Bandwidth?) -> UInt64 { UInt64(Double(limit?.bitsPerSecond ?? 1_000_000_000) * achievedFraction) }
        return BandwidthSample(egressBitsPerSecond: achieved(machine.spec.egress), ingressBitsPerSecond: achieved(machine.spec.ingress))
    }

    /// What each machine's files take: a shrink below it is refused as a real host does.
    public private(set) var filesNeed: [Hostname: ByteSize] = [:]
    public func setFilesNeed(_ size: ByteSize, of machine: Hostname) { filesNeed[machine] = size }

    public func resize(_ machine: Machine, on host: ComputeHost) async throws {
        calls.append("resize \(machine.name)@\(host.name)")
        if failingHosts.contains(host.name) { throw FakeHostError(message: "simulated resize failure on \(host.name)") }
        if let refusal = fileRefusals[host.name] { throw refusal }
        if let need = filesNeed[machine.name], machine.spec.disk < need {
            throw KennelError(.conflict, "the files of \(machine.name) need at least \(need); \(machine.spec.disk) cannot hold them", field: "disk")
        }
        resized[machine.name] = machine.spec.disk
    }

    public func pruneImages(on host: ComputeHost, keeping: Set<String>) async throws -> [String] {
        calls.append("prune \(host.name)")
        return []
    }

    public func remove(_ machine: Machine, from host: ComputeHost) async throws {
        calls.append("remove \(machine.name)@\(host.name)")
        domains[host.name]?[machine.name] = nil
    }

    public func facts(of host: ComputeHost) async throws -> HostFacts {
        if failingHosts.contains(host.name) { throw FakeHostError(message: "simulated facts failure on \(host.name)") }
        return HostFacts(kernel: "6.1.0-fake", libvirt: "9.0.0", ovsDatapath: "system", reflink: true, freeBytes: 100 << 30)
    }

    public func runningMachineNames(on host: ComputeHost) async throws -> Set<String> {
        listings += 1
        return Set((domains[host.name] ?? [:]).filter { $0.value == .running }.map(\.key.value))
    }

    public func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence {
        presenceLookups += 1
        return domains[host.name]?[machine.name] ?? .absent
    }
}

/// The error the fake raises when told to fail.
public struct FakeHostError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
