import KennelModel

/// Whether a machine's container exists on its host, and whether it runs.
public enum DomainPresence: String, Sendable, Equatable {
    case absent, stopped, running
}

/// Everything a host needs to run a machine: the machine, and what its pool says about
/// name resolution (written into the guest).
public struct MachineLaunch: Sendable, Equatable {
    public let machine: Machine
    /// DNS servers and search domain of the machine's pool.
    public let dns: [IPv4Address]
    public let searchDomain: DomainName?
    /// The keys allowed in as root: the machine request's, then its team members'.
    public let authorizedKeys: [SSHPublicKey]
    /// The certificate principals allowed in as root (`user:NAME` of its team's members).
    public let principals: [String]
    /// Kennel's SSH user CA, trusted for certificates; nil until Kennel has one.
    public let userCA: SSHPublicKey?

    /// Creates a launch of `machine` on `pool`'s settings (none when the pool is gone),
    /// letting in its request's keys and `memberKeys`, and certificates of `members`
    /// signed by `userCA`.
    public init(machine: Machine, pool: Pool?, memberKeys: [SSHPublicKey] = [], members: [Hostname] = [], userCA: SSHPublicKey? = nil) {
        self.machine = machine
        dns = pool?.dns ?? []
        searchDomain = pool?.searchDomain
        authorizedKeys = MachineAccess.keys(of: machine, memberKeys: memberKeys)
        principals = members.map { "user:\($0)" }.sorted()
        self.userCA = userCA
    }
}

/// Who may log in to a running machine: what a change of users' keys or of team
/// membership rewrites inside it, live.
public struct MachineAccess: Sendable, Equatable {
    public let machine: Machine
    public let authorizedKeys: [SSHPublicKey]
    public let principals: [String]
    public let userCA: SSHPublicKey?

    /// Who may log in as a start of the machine lets them.
    public init(_ launch: MachineLaunch) {
        machine = launch.machine
        authorizedKeys = launch.authorizedKeys
        principals = launch.principals
        userCA = launch.userCA
    }

    /// The request's keys, then the members' not already there.
    static func keys(of machine: Machine, memberKeys: [SSHPublicKey]) -> [SSHPublicKey] {
        var seen = Set(machine.sshKeys.map(\.body))
        return machine.sshKeys + memberKeys.filter { seen.insert($0.body).inserted }
    }
}

/// Rewrites who may log in to a running machine.
public protocol GuestAccess: Sendable {
    /// Writes the machine's key list inside it while it runs (sshd reads it at each login);
    /// nothing for hosts that run no real machines, or a machine that has no files there.
    func writeAccess(_ access: MachineAccess, on host: ComputeHost) async throws
}

/// Runs machines on hosts (libvirt's LXC driver in production, its test driver in demo
/// mode, a fake in unit tests). Every call is idempotent, so a step can be retried or
/// resumed after a crash.
public protocol HostRuntime: LiveLimits, NetworkUpkeep, ConfinementUpkeep, BandwidthMeter, GuestAccess {
    /// Gives the machine its files on `host`: its root filesystem from its image when it
    /// has none yet (a leftover of another machine of that name is removed first), and
    /// its identity files every time.
    /// Answers the machine's SSH host public keys (made once, at its first prepare; none on
    /// hosts that run no real machines, or an older node that does not say).
    @discardableResult
    func prepareFiles(_ launch: MachineLaunch, on host: ComputeHost) async throws -> [SSHPublicKey]
    /// Defines the container (replacing an older definition), marks it autostart, starts
    /// it unless it runs, and applies the host-side network fixes.
    func startContainer(_ launch: MachineLaunch, on host: ComputeHost) async throws
    /// Asks the container to shut down, waits up to `timeout`, then stops it hard; no-op
    /// when it does not run.
    func stop(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws
    /// Brings the machine's volume and filesystem to `machine.spec.disk` (grown online, or
    /// shrunk offline while it is stopped where its filesystem can) and applies its IO
    /// limits, live while it runs (the next start keeps them).
    func resize(_ machine: Machine, on host: ComputeHost) async throws
    /// Removes the host's image templates of versions not in `keeping` (SHA-256s);
    /// answers the versions removed.
    func pruneImages(on host: ComputeHost, keeping: Set<String>) async throws -> [String]
    /// Stops the container if it runs, removes its definition and the machine's files;
    /// no-op when absent.
    func remove(_ machine: Machine, from host: ComputeHost) async throws
    /// The names of the machines whose containers run on `host`, in one listing: what
    /// the reconciler compares with the store on every pass.
    func runningMachineNames(on host: ComputeHost) async throws -> Set<String>
    /// What the host is: kernel, libvirt, OVS datapath, machines directory (only libvirt's
    /// version on simulated hosts).
    func facts(of host: ComputeHost) async throws -> HostFacts
    /// What the host knows of the machine's container.
    func presence(of machine: Machine, on host: ComputeHost) async throws -> DomainPresence
    /// Waits until the machine's sshd answers on its address, at most `timeout`; false
    /// when it did not. Hosts that run no real guests (simulated ones) answer true at once.
    func waitForSSH(_ machine: Machine, on host: ComputeHost, timeout: Duration) async throws -> Bool
    /// What runs inside the machine: sshd and its supervisord programs; nil for hosts that
    /// run no real guests.
    func health(of machine: Machine, on host: ComputeHost) async throws -> MachineHealth?
}

extension HostRuntime {
    /// Files, then the container: what a start needs, as one call (the reconciler's).
    public func ensureRunning(_ launch: MachineLaunch, on host: ComputeHost) async throws {
        try await prepareFiles(launch, on: host)
        try await startContainer(launch, on: host)
    }
}
