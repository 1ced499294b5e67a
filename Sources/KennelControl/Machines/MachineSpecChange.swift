import KennelModel

/// A change of a running machine's spec applied on its host as one operation: resize
/// (disk, disk IO) and limits (CPU, memory, bandwidth, disk IO).
struct SpecChange: Sendable {
    /// The operation's kind.
    let kind: OperationKind
    /// The audit action (`machine.resize`).
    let action: String
    /// The event published when it is done (`machine.resized`), and its data.
    let event: String
    let eventData: @Sendable (MachineSpec) -> [String: String]
    /// What failed, in words, before "of NAME on host H failed" (`resizing the volume`).
    let doing: String
    /// Inside the change's transaction: the machine's new spec, or a refusal (409 for a
    /// change its state or host cannot take, with room checked against the same usage
    /// placement sees).
    let decide: @Sendable (Machine, any StoreTransaction) throws -> MachineSpec
    /// The step's name for a machine going from one spec to another.
    let stepName: @Sendable (Machine, Machine) -> String
    /// The host step: makes the host match the new spec.
    let apply: @Sendable (Machine, ComputeHost) async throws -> Void
    /// Whether a failed host step is undone by applying the old spec again (limits: a
    /// change that failed half-way, say after the CPU and before the memory, must not
    /// leave the kernel enforcing half of it; a volume grown is not shrunk back).
    var undoable = false
}

extension MachineService {
    /// Checks the change at once (422 for a bad field, 409 for what cannot be done) and
    /// writes the new spec in one transaction with its checks, so two concurrent changes
    /// never both take a host's last room; then applies it on the host as the change's
    /// operation. A host step that fails puts the old spec back; a refusal the host
    /// decides (a conflict, or no room for a disk) is answered as such, anything else as a host failure whose
    /// cause only admins see.
    func submit(
        _ change: SpecChange, named name: Hostname, ifMatch: String?, by requester: Requester
    ) async throws -> OperationHandle {
        try await launcher.tracker.admit()
        let ticket = await locks.enqueue(name)
        let accepted: (operation: Int64, before: Machine, after: Machine)
        do {
            let now = environment.now()
            accepted = try await store.transaction { store in
                guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
                try requester.principal.requireChange("machine", name.value, team: machine.team)
                try EntityTag.check(ifMatch, against: machine, kind: "machine", name: name.value)
                guard machine.state != .deleting else { throw KennelError(.conflict, "machine \(name) is being deleted") }
                var changed = machine
                changed.spec = try change.decide(machine, store)
                try store.setSpec(changed.spec, of: name)
                let operation = try store.beginOperation(
                    change.kind, machine: name, team: machine.team, requestedBy: requester.user.value, state: .pending, at: now)
                try AuditTrail(requester: requester, at: now, operation: operation)
                    .record(change.action, "machine", name.value, before: machine, after: changed, in: store)
                return (operation, machine, changed)
            }
        } catch {
            await locks.release(ticket)
            throw error
        }
        let (operation, before, after) = accepted
        return await launcher.launch(change.kind, id: operation, machine: name, ticket: ticket) { [self] in
            let host = try await host(named: after.host)
            var undo: (@Sendable () async throws -> Void)?
            if change.undoable { undo = { try await change.apply(before, host) } }
            // An imported machine is not built yet: its first start applies the new spec.
            let steps =
                after.state == .imported
                ? [] : [LifecycleStep(change.stepName(before, after), run: { try await change.apply(after, host) }, undo: undo)]
            try await launcher.start(operation, steps: steps.count)
            let recorder = OperationRecorder(store: store, events: events, environment: environment, logger: logger)
            do {
                try await StepPipeline(steps).run { event in await recorder.record(event, of: operation, machine: after) }
            } catch let failure as StepFailure {
                logger.error(
                    "\(change.action)-failed", metadata: ["machine": "\(name)", "operation": "\(operation)", "cause": "\(failure.cause)"])
                let refusal = (failure.cause as? KennelError).flatMap { KennelError.Code.hostRefusals.contains($0.code) ? $0 : nil }
                let reason =
                    refusal.map { "\(name) keeps what it had: \($0.message)" }
                    ?? "\(change.doing) of \(name) on host \(after.host) failed; it keeps what it had (operation \(operation))"
                let code = refusal?.code ?? .hostFailure
                let finished = environment.now()
                try await store.transaction { store in
                    try store.setSpec(before.spec, of: name)
                    try store.finishOperation(
                        operation, state: .failed, failure: OperationFailure(code: code, message: reason, cause: "\(failure.cause)"),
                        at: finished)
                }
                throw KennelError(code, reason, field: refusal?.field)
            }
            let finished = environment.now()
            try await store.transaction { store in try store.finishOperation(operation, state: .succeeded, failure: nil, at: finished) }
            logger.info("\(change.event)", metadata: ["machine": "\(name)", "operation": "\(operation)"])
            await events.publish(change.event, machine: name, team: after.team, operation: operation, data: change.eventData(after.spec))
            return try await store.machine(named: name) ?? after
        }
    }
}
