import Foundation
import KennelModel
import Logging

/// Pushes who may log in to running machines when users' keys or team membership change,
/// in the background and within seconds: each machine of the teams concerned gets its key
/// list rewritten inside it (sshd reads it at each login, so no restart), in that
/// machine's turn (`MachineLocks`), so a start that writes the list too never interleaves
/// with it and the last writer has the newest keys. A machine that is not running gets
/// its list at its next start. A failure is logged; the next change or start repairs it.
public actor AccessSync {
    private let store: any MachineStore
    private let writer: any GuestAccess
    private let locks: MachineLocks
    private let environment: ServiceEnvironment
    private let logger: Logger
    /// The bastion's configuration, refreshed after each push.
    private let bastion: BastionService?
    private var pushes: [Int: Task<Void, Never>] = [:]
    private var nextPush = 0

    init(
        store: any MachineStore, writer: any GuestAccess, locks: MachineLocks, environment: ServiceEnvironment, logger: Logger,
        bastion: BastionService? = nil
    ) {
        self.store = store
        self.writer = writer
        self.locks = locks
        self.environment = environment
        self.logger = logger
        self.bastion = bastion
    }

    /// Rewrites the access lists of the running machines of `teams`, in the background.
    func teamsChanged(_ teams: Set<Hostname>) {
        machinesChanged { machine in machine.team.map(teams.contains) ?? false }
    }

    /// Rewrites the access lists of the running machines `matching`, in the background,
    /// then the bastion's configuration.
    func machinesChanged(_ matching: @escaping @Sendable (Machine) -> Bool) {
        let id = nextPush
        nextPush += 1
        pushes[id] = Task {
            await push(to: matching)
            await bastion?.refresh()
            finish(id)
        }
    }

    /// Waits until every push under way has ended.
    public func settle() async {
        while let (_, task) = pushes.first {
            await task.value
        }
    }

    private func finish(_ id: Int) { pushes[id] = nil }

    private func push(to matching: @Sendable (Machine) -> Bool) async {
        let machines: [Machine]
        do {
            machines = try await store.machines().filter { machine in matching(machine) && machine.state == .running }
        } catch {
            logger.error("access.push-failed", metadata: ["cause": "\(error)"])
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for machine in machines { group.addTask { await self.push(to: machine.name) } }
        }
    }

    /// One machine, in its turn: read again under its lock (it may have stopped or gone).
    private func push(to name: Hostname) async {
        let store = store
        let writer = writer
        let environment = environment
        let logger = logger
        do {
            try await locks.withLock(name) {
                guard let machine = try await store.machine(named: name), machine.state == .running,
                    let host = try await store.host(named: machine.host)
                else { return }
                let launch = try await store.launch(of: machine, at: environment.now())
                try await writer.writeAccess(MachineAccess(launch), on: host)
                logger.info("access.pushed", metadata: ["machine": "\(name)", "keys": "\(launch.authorizedKeys.count)"])
            }
        } catch {
            logger.error("access.push-failed", metadata: ["machine": "\(name)", "cause": "\(error)"])
        }
    }
}
