import Foundation
import KennelModel
import Logging

/// One host's machine usage as last gathered.
public struct HostUsage: Sendable, Equatable {
    public let host: Hostname
    /// When the counters were read; nil before the first read finished.
    public var collectedAt: Date?
    /// The usage of its running machines, by name.
    public var machines: [Hostname: MachineUsage]
    /// Why the last read failed or is late, if it did.
    public var problem: String?
}

/// Gathers per-machine usage from every host in the background, for `/metrics`.
///
/// A scrape reads the cache and never waits on a host: it starts a read of each host
/// whose figures are older than `maxAge` (unless one is under way) and answers with what
/// it has. Counters are read every `maxAge`, disk use (a walk of each root filesystem)
/// every `diskMaxAge`. A host that does not answer within `timeout` keeps its last
/// figures with a `problem` and is asked again only once that read returns; machines
/// that left the host or the store drop out of the cache.
public actor UsageCollector {
    private let store: any MachineStore
    private let reader: any UsageReader
    private let environment: ServiceEnvironment
    private let maxAge: Duration
    private let diskMaxAge: Duration
    private let timeout: Duration
    private let logger: Logger
    private var cache: [Hostname: HostUsage] = [:]
    private var disk: [Hostname: (at: ContinuousClock.Instant, bytes: [Hostname: UInt64])] = [:]
    private var lastAttempt: [Hostname: ContinuousClock.Instant] = [:]
    private var reading: Set<Hostname> = []

    public init(
        store: any MachineStore, reader: any UsageReader, environment: ServiceEnvironment = .live, maxAge: Duration = .seconds(10),
        diskMaxAge: Duration = .seconds(300), timeout: Duration = .seconds(20), logger: Logger
    ) {
        self.store = store
        self.reader = reader
        self.environment = environment
        self.maxAge = maxAge
        self.diskMaxAge = diskMaxAge
        self.timeout = timeout
        self.logger = logger
    }

    /// What is known of every host's machines now — of the machines `reader` may read
    /// (every one when nil) — and starts background reads of the hosts whose figures are
    /// stale.
    public func snapshot(readBy reader: Principal? = nil) async throws -> [HostUsage] {
        let hosts = try await store.hosts()
        let machines = try await store.machines()
        let byHost = Dictionary(grouping: machines, by: \.host)
        let readable = Set(machines.filter { reader?.canRead(team: $0.team) ?? true }.map(\.name))
        let known = Set(hosts.map(\.name))
        cache = cache.filter { known.contains($0.key) }
        disk = disk.filter { known.contains($0.key) }
        let now = ContinuousClock.now
        for host in hosts where host.state != .down && !reading.contains(host.name) {
            if let attempt = lastAttempt[host.name], now - attempt < maxAge { continue }
            start(host, machines: byHost[host.name] ?? [], at: now)
        }
        return hosts.map { host in
            let names = Set((byHost[host.name] ?? []).map(\.name)).intersection(readable)
            var usage = cache[host.name] ?? HostUsage(host: host.name, collectedAt: nil, machines: [:], problem: nil)
            usage.machines = usage.machines.filter { names.contains($0.key) }
            if let bytes = disk[host.name]?.bytes {
                for (name, used) in bytes where usage.machines[name] != nil { usage.machines[name]?.diskUsedBytes = used }
            }
            return usage
        }
    }

    /// Waits until no read is under way (for tests and benchmarks).
    public func settle() async {
        while !reading.isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
    }

    private func start(_ host: ComputeHost, machines: [Machine], at now: ContinuousClock.Instant) {
        reading.insert(host.name)
        lastAttempt[host.name] = now
        let measureDisk = disk[host.name].map { now - $0.at >= diskMaxAge } ?? true
        let reader = reader
        let timeout = timeout
        // One read per host at a time: a host that hangs keeps its one read, is marked
        // late after `timeout`, and is asked again only once that read returns.
        Task {
            let outcome: Outcome
            do {
                let counters = try await reader.counters(of: machines, on: host)
                let running = machines.filter { counters[$0.name] != nil }
                let used = measureDisk ? try await reader.diskUsed(by: running, on: host) : nil
                outcome = .read(counters: counters, disk: used)
            } catch {
                outcome = .failed("\(error)")
            }
            self.finish(host.name, outcome, at: now)
        }
        Task {
            try? await Task.sleep(for: timeout)
            self.late(host.name, attempt: now, after: timeout)
        }
    }

    private enum Outcome {
        case read(counters: [Hostname: MachineUsage], disk: [Hostname: UInt64]?)
        case failed(String)
    }

    private func late(_ host: Hostname, attempt: ContinuousClock.Instant, after timeout: Duration) {
        guard reading.contains(host), lastAttempt[host] == attempt else { return }
        logger.warning("usage.late", metadata: ["host": "\(host)", "timeout": "\(timeout)"])
        var usage = cache[host] ?? HostUsage(host: host, collectedAt: nil, machines: [:], problem: nil)
        usage.problem = "no answer within \(timeout)"
        cache[host] = usage
    }

    private func finish(_ host: Hostname, _ outcome: Outcome, at started: ContinuousClock.Instant) {
        reading.remove(host)
        switch outcome {
        case .read(let counters, let used):
            cache[host] = HostUsage(host: host, collectedAt: environment.now(), machines: counters, problem: nil)
            if let used { disk[host] = (started, used) }
        case .failed(let problem):
            logger.warning("usage.unread", metadata: ["host": "\(host)", "problem": "\(problem)"])
            var usage = cache[host] ?? HostUsage(host: host, collectedAt: nil, machines: [:], problem: nil)
            usage.problem = problem
            cache[host] = usage
        }
    }
}
