import KennelControl
import KennelModel
import Logging

/// Runs machines through libvirt, one shared connection per host URI.
///
/// One connection per URI matters beyond cost: each `test:///file.xml` connection is a
/// private simulated host, so a simulated host exists only as long as its connection.
public actor LibvirtHostRuntime: HostRuntime {
    private let paths: HostPaths
    private let logger: Logger
    private var connections: [String: Task<LibvirtConnection, any Error>] = [:]

    /// Creates a runtime that lays machine files out by `paths`.
    public init(paths: HostPaths = HostPaths(), logger: Logger) {
        self.paths = paths
        self.logger = logger
    }

    /// The open connection to `host`, opened on first use.
    public func connection(to host: ComputeHost) async throws -> LibvirtConnection {
        if let existing = connections[host.uri] {
            do { return try await existing.value } catch { connections[host.uri] = nil }
        }
        let uri = host.uri
        let opening = Task { try await LibvirtConnection.open(uri) }
        connections[uri] = opening
        return try await opening.value
    }

    public func ensureRunning(_ machine: Machine, on host: ComputeHost) async throws {
        let connection = try await connection(to: host)
        let xml = DomainXML.render(DomainDefinition(machine: machine, host: host, paths: paths))
        let domain = try await connection.define(xml: xml)
        try await domain.setAutostart(true)
        if try await domain.state() != .running {
            try await domain.start()
            logger.debug("domain.started", metadata: ["machine": "\(machine.name)", "host": "\(host.name)"])
        }
    }

    public func remove(_ machine: Machine, from host: ComputeHost) async throws {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value) else { return }
        if try await domain.state() != .shutoff {
            do {
                try await domain.destroy()
            } catch let error as LibvirtError where error.isNotRunning {
                // Stopped between the state check and the destroy: nothing to stop.
            }
        }
        do {
            try await domain.undefine()
        } catch let error as LibvirtError where error.isNoDomain {
            // Undefined concurrently: the goal is reached.
        }
    }

    public func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence {
        let connection = try await connection(to: host)
        guard let domain = try await connection.domain(named: machine.name.value) else { return .absent }
        return try await domain.state() == .running ? .running : .stopped
    }
}
