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

    public init() {}

    /// Makes `ensureRunning` fail on `host` from now on.
    public func failStarts(on host: Hostname) { failingHosts.insert(host) }

    /// Forgets every domain, as a simulated host does when its process restarts.
    public func wipe() { domains = [:] }

    /// Every machine defined anywhere.
    public var definedMachines: [Hostname] { domains.values.flatMap(\.keys).sorted() }

    public func ensureRunning(_ machine: Machine, on host: ComputeHost) async throws {
        calls.append("ensureRunning \(machine.name)@\(host.name)")
        guard !failingHosts.contains(host.name) else {
            domains[host.name, default: [:]][machine.name] = .stopped
            throw FakeHostError(message: "simulated start failure on \(host.name)")
        }
        domains[host.name, default: [:]][machine.name] = .running
    }

    public func remove(_ machine: Machine, from host: ComputeHost) async throws {
        calls.append("remove \(machine.name)@\(host.name)")
        domains[host.name]?[machine.name] = nil
    }

    public func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence {
        domains[host.name]?[machine.name] ?? .absent
    }
}

/// The error the fake raises when told to fail.
public struct FakeHostError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
