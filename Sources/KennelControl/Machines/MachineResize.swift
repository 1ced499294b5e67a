import KennelModel

/// Resize: a machine's disk grown online and its disk IO limits changed live.
extension MachineService {
    /// Checks the request at once (422 for a bad field, 409 for a shrink or a host
    /// without room) and writes the new spec with the capacity check in one transaction,
    /// so two concurrent grows never both take a host's last space; then grows the
    /// volume and applies the limits on the host as operation `resize`. A host step that
    /// fails puts the old spec back.
    public func submitResize(
        named name: Hostname, _ request: ResizeRequest, ifMatch: String? = nil, by requester: Requester = .system
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
                var resized = machine
                resized.spec = try request.spec(from: machine.spec)
                let decision = DiskResize.decide(
                    from: machine.spec.disk, to: resized.spec.disk, filesystem: machine.spec.filesystem, running: machine.state != .stopped,
                    allowShrink: request.allowShrink)
                if case .refused(let reason) = decision {
                    throw KennelError(
                        .conflict, "disk of \(name) cannot go from \(machine.spec.disk) to \(resized.spec.disk): \(reason)", field: "disk")
                }
                if decision == .grow {
                    try Self.checkRoom(for: ByteSize(bytes: resized.spec.disk.bytes - machine.spec.disk.bytes), on: machine.host, in: store)
                }
                try store.setSpec(resized.spec, of: name)
                let operation = try store.beginOperation(
                    .resize, machine: name, team: machine.team, requestedBy: requester.user.value, state: .pending, at: now)
                try AuditTrail(requester: requester, at: now, operation: operation)
                    .record("machine.resize", "machine", name.value, before: machine, after: resized, in: store)
                return (operation, machine, resized)
            }
        } catch {
            await locks.release(ticket)
            throw error
        }
        let (operation, before, after) = accepted
        return await launcher.launch(.resize, id: operation, machine: name, ticket: ticket) { [self] in
            let host = try await host(named: after.host)
            let runtime = runtime
            let shrinking = after.spec.disk < before.spec.disk
            let steps = [LifecycleStep(shrinking ? "shrink volume offline" : "resize volume", run: { try await runtime.resize(after, on: host) })]
            try await launcher.start(operation, steps: steps.count)
            let recorder = OperationRecorder(store: store, events: events, environment: environment, logger: logger)
            do {
                try await StepPipeline(steps).run { event in await recorder.record(event, of: operation, machine: after) }
            } catch let failure as StepFailure {
                logger.error("machine.resize-failed", metadata: ["machine": "\(name)", "operation": "\(operation)", "cause": "\(failure.cause)"])
                // A refusal the host decided (a shrink below what the files need) is told as
                // such; anything else is a host failure whose cause only admins see.
                let refusal = (failure.cause as? KennelError).flatMap { $0.code == .conflict ? $0 : nil }
                let reason =
                    refusal.map { "the disk of \(name) stays \(before.spec.disk): \($0.message)" }
                    ?? "resizing the volume of \(name) on host \(after.host) failed; its size and limits stay as they were (operation \(operation))"
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
            logger.info("machine.resized", metadata: ["machine": "\(name)", "disk": "\(after.spec.disk)"])
            await events.publish(
                "machine.resized", machine: name, team: after.team, operation: operation, data: ["disk": after.spec.disk.description])
            return try await store.machine(named: name) ?? after
        }
    }

    /// Throws `no_capacity` naming the host's free disk when `growth` does not fit.
    private static func checkRoom(for growth: ByteSize, on host: Hostname, in store: any StoreTransaction) throws {
        guard let record = try store.host(named: host) else { throw KennelError(.internal, "machine placed on unknown host \(host)") }
        // The same room placement sees: capacity after overcommit, less what machines reserve.
        let free = record.free(after: try store.usage(of: host)).disk
        let schedulable = record.schedulable.disk
        guard growth <= free else {
            throw KennelError(
                .noCapacity, "host \(host) has \(free) of disk free (of \(schedulable)); growing by \(growth) does not fit", field: "disk")
        }
    }
}
