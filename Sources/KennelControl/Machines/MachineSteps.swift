import KennelModel
import Logging

/// The steps of each lifecycle action, named as operations record them. Each is
/// idempotent; those a failure must revert carry their undo.
struct MachineSteps: Sendable {
    let store: any MachineStore
    let runtime: any HostRuntime
    let timeouts: LifecycleTimeouts
    let environment: ServiceEnvironment
    let logger: Logger

    /// "prepare files" (root filesystem once, identity files), "start container" (define,
    /// autostart, start, network fixes) and "wait for sshd". On a create both host steps
    /// are undoable (the container is stopped, then the new machine's container and files
    /// removed); starting an existing machine never removes its files.
    func bringUp(_ machine: Machine, on host: ComputeHost, undoable: Bool) async throws -> [LifecycleStep] {
        let runtime = runtime
        let timeouts = timeouts
        let logger = logger
        let launch = try await store.launch(of: machine, at: environment.now())
        let store = store
        let prepare: @Sendable () async throws -> Void = {
            let hostKeys = try await runtime.prepareFiles(launch, on: host)
            // Made once per machine: what known_hosts publishes for it.
            if !hostKeys.isEmpty { try await store.transaction { store in try store.setHostKeys(hostKeys, of: machine.name) } }
        }
        let start: @Sendable () async throws -> Void = { try await runtime.startContainer(launch, on: host) }
        let remove: @Sendable () async throws -> Void = { try await runtime.remove(machine, from: host) }
        let stop: @Sendable () async throws -> Void = { try await runtime.stop(machine, on: host, timeout: timeouts.shutdown) }
        let waitForSSH: @Sendable () async throws -> Void = {
            let clock = ContinuousClock()
            let waiting = clock.now
            guard try await runtime.waitForSSH(machine, on: host, timeout: timeouts.sshd) else {
                throw SSHDidNotAnswer(ip: machine.network.ip, timeout: timeouts.sshd)
            }
            logger.debug("machine.sshd-up", metadata: ["machine": "\(machine.name)", "waited": "\(clock.now - waiting)"])
        }
        return [
            LifecycleStep("prepare files", run: prepare, undo: undoable ? remove : nil),
            LifecycleStep("start container", run: start, undo: undoable ? stop : nil),
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
