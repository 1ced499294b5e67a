import KennelModel
import Logging

/// The steps of each lifecycle action, named as operations record them. Each is
/// idempotent; those a failure must revert carry their undo.
struct MachineSteps: Sendable {
    let store: any MachineStore
    let runtime: any HostRuntime
    let timeouts: LifecycleTimeouts
    let logger: Logger

    /// "start" (provision, define, start, attach) and "wait for sshd". On a create the
    /// start is undoable (the new machine's container and files are removed); starting an
    /// existing machine keeps its files whatever happens.
    func bringUp(_ machine: Machine, on host: ComputeHost, undoable: Bool) -> [LifecycleStep] {
        let store = store
        let runtime = runtime
        let timeouts = timeouts
        let logger = logger
        let start: @Sendable () async throws -> Void = {
            let pool = try await store.pools().first { $0.name == machine.network.pool }
            try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: pool), on: host)
        }
        let undoStart: @Sendable () async throws -> Void = { try await runtime.remove(machine, from: host) }
        let waitForSSH: @Sendable () async throws -> Void = {
            let clock = ContinuousClock()
            let waiting = clock.now
            guard try await runtime.waitForSSH(machine, on: host, timeout: timeouts.sshd) else {
                throw SSHDidNotAnswer(ip: machine.network.ip, timeout: timeouts.sshd)
            }
            logger.debug("machine.sshd-up", metadata: ["machine": "\(machine.name)", "waited": "\(clock.now - waiting)"])
        }
        return [
            LifecycleStep("start", run: start, undo: undoable ? undoStart : nil),
            LifecycleStep("wait for sshd", run: waitForSSH),
        ]
    }

    /// "mark stopped" (so the reconciler leaves it) and "shut down".
    func stop(_ machine: Machine, on host: ComputeHost) -> [LifecycleStep] {
        let store = store
        let mark: @Sendable () async throws -> Void = {
            try await store.transaction { store in try store.setState(.stopped, failure: nil, of: machine.name) }
        }
        return [LifecycleStep("mark stopped", run: mark)] + shutDown(machine, on: host)
    }

    /// "shut down": gracefully, then hard after the shutdown timeout.
    func shutDown(_ machine: Machine, on host: ComputeHost) -> [LifecycleStep] {
        let runtime = runtime
        let timeout = timeouts.shutdown
        return [LifecycleStep("shut down", run: { try await runtime.stop(machine, on: host, timeout: timeout) })]
    }

    /// "remove": the container and the machine's files.
    func remove(_ machine: Machine, from host: ComputeHost) -> [LifecycleStep] {
        let runtime = runtime
        return [LifecycleStep("remove", run: { try await runtime.remove(machine, from: host) })]
    }
}
