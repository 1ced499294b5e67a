/// What runs inside a machine, read from its host without an agent in the guest.
public struct MachineHealth: Sendable, Equatable, Codable {
    /// Whether the machine's sshd answers on its address.
    public enum SSHState: String, Sendable, Codable {
        case up, down
    }

    public var sshd: SSHState
    /// supervisord's programs, as `supervisorctl status` reports them.
    public var programs: [ProgramStatus]

    public init(sshd: SSHState, programs: [ProgramStatus]) {
        self.sshd = sshd
        self.programs = programs
    }

    /// A machine whose container does not run.
    public static let stopped = MachineHealth(sshd: .down, programs: [])
}

/// One supervisord program: `sshd RUNNING pid 4, uptime 0:00:01`.
public struct ProgramStatus: Sendable, Equatable, Codable {
    public let name: String
    /// supervisord's state name: RUNNING, STARTING, EXITED, FATAL, BACKOFF, STOPPED…
    public let state: String
    public let detail: String

    public init(name: String, state: String, detail: String) {
        self.name = name
        self.state = state
        self.detail = detail
    }
}
