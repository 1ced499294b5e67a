import KennelModel
import Logging

/// Writes an operation's steps as they run, and a failed step's outcome on the machine
/// and the operation.
struct OperationRecorder: Sendable {
    let store: any MachineStore
    let events: EventLog
    let environment: ServiceEnvironment
    let logger: Logger

    /// Records one pipeline event; a store that cannot record it is logged, never fatal
    /// to the step itself.
    func record(_ event: StepEvent, of operation: Int64, machine: Machine) async {
        await publish(event, of: operation, machine: machine)
        let now = environment.now()
        do {
            try await store.transaction { store in
                switch event {
                case .started(let position, let name):
                    try store.beginStep(of: operation, position: position, name: name, at: now)
                case .finished(let position, _):
                    try store.endStep(of: operation, position: position, outcome: .finished, error: nil, at: now)
                case .failed(let position, _, let cause):
                    try store.endStep(of: operation, position: position, outcome: .failed, error: cause, at: now)
                case .undone(let position, _):
                    try store.endStep(of: operation, position: position, outcome: .undone, error: nil, at: now)
                case .undoFailed(let position, _, let cause):
                    try store.endStep(of: operation, position: position, outcome: .failed, error: "undo failed: \(cause)", at: now)
                }
            }
        } catch {
            logger.warning("operation.step-unrecorded", metadata: ["operation": "\(operation)", "error": "\(error)"])
        }
    }

    private func publish(_ event: StepEvent, of operation: Int64, machine: Machine) async {
        let (position, name, outcome): (Int, String, String) =
            switch event {
            case .started(let position, let name): (position, name, "started")
            case .finished(let position, let name): (position, name, "finished")
            case .failed(let position, let name, _): (position, name, "failed")
            case .undone(let position, let name): (position, name, "undone")
            case .undoFailed(let position, let name, _): (position, name, "undo failed")
            }
        await events.publish(
            "operation.step", machine: machine.name, team: machine.team, operation: operation,
            data: ["step": name, "position": "\(position)", "outcome": outcome])
    }

    /// A create the host refused (`no_capacity`: its volume store cannot hold the disk)
    /// after every step done was undone: the machine never was, so its row goes and its
    /// address is free again (it never carried traffic), the operation fails with the
    /// refusal's code, the removal is audited for `requester`, and the refusal is thrown
    /// as the host said it, naming its field.
    func refuse(_ machine: Machine, operation: Int64, refusal: KennelError, by requester: Requester) async throws -> Never {
        let reason = "host \(machine.host) refused \(machine.name): \(refusal.message)"
        logger.warning("machine.refused", metadata: ["machine": "\(machine.name)", "operation": "\(operation)", "reason": "\(reason)"])
        let finished = environment.now()
        try await store.transaction { store in
            try store.deleteMachine(named: machine.name, releasingAt: finished)
            try store.finishOperation(
                operation, state: .failed, failure: OperationFailure(code: refusal.code, message: reason, cause: "\(refusal)"), at: finished)
            try AuditTrail(requester: requester, at: finished, operation: operation)
                .record("machine.delete", "machine", machine.name.value, before: machine, in: store)
        }
        throw KennelError(refusal.code, reason, field: refusal.field)
    }

    /// Marks the machine `failed`, finishes the operation with the failure's code and
    /// cause, audits the change for `requester`, and throws `host_failure`.
    ///
    /// What a client sees (the error and the machine's `failure`) is a stable sentence
    /// naming the step and the host; the cause — libvirt's text, paths, command output —
    /// goes to the log and the operation row only (shown to admins).
    func fail(
        _ machine: Machine, operation: Int64, failure: StepFailure, action: String, by requester: Requester
    ) async throws -> Never {
        let reason: String
        if let timeout = failure.cause as? SSHDidNotAnswer {
            reason = "\(failure.step) on host \(machine.host) failed: sshd did not answer on \(timeout.ip) within \(timeout.timeout)"
        } else {
            reason = "\(failure.step) on host \(machine.host) failed; the cause is in the service log (operation \(operation))"
        }
        logger.error(
            "machine.failed",
            metadata: [
                "machine": "\(machine.name)", "operation": "\(operation)", "step": "\(failure.step)", "cause": "\(failure.cause)",
                "undone": "\(failure.undone.joined(separator: ", "))",
            ])
        let finished = environment.now()
        let recorded = OperationFailure(code: .hostFailure, message: reason, cause: "\(failure.cause)")
        try await store.transaction { store in
            try store.setState(.failed, failure: reason, of: machine.name)
            try store.finishOperation(operation, state: .failed, failure: recorded, at: finished)
            let after = try store.machine(named: machine.name)
            try AuditTrail(requester: requester, at: finished, operation: operation)
                .record(action, "machine", machine.name.value, before: machine, after: after, in: store)
        }
        await events.publish("machine.failed", machine: machine.name, team: machine.team, operation: operation, data: ["reason": reason])
        throw KennelError(.hostFailure, reason)
    }
}
