import KennelModel

/// Start, stop, restart and delete: each checks at once that the machine exists, is not
/// being deleted and is the requester's to change, records a pending operation, and runs
/// its steps in the machine's turn.
extension MachineService {
    /// Starts a stopped (or failed) machine with the same identity, address and files,
    /// and waits for its sshd. Starting a running machine changes nothing on its host.
    public func submitStart(
        named name: Hostname, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        try await submit(.start, on: name, ifMatch: ifMatch, by: requester, settingState: .running) { machine, host in
            // An imported machine's first start builds it: as on a create, a failure
            // removes what it made.
            try await steps.bringUp(machine, on: host, undoable: machine.state == .imported)
        }
    }

    /// Shuts a machine down (gracefully, then hard after the shutdown timeout) and keeps
    /// it stopped: the reconciler leaves it alone until it is started again.
    public func submitStop(
        named name: Hostname, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        try await submit(.stop, on: name, ifMatch: ifMatch, by: requester, settingState: .stopped) { machine, host in
            steps.stop(machine, on: host)
        }
    }

    /// Stops then starts a machine, as a reboot of a VM would.
    public func submitRestart(
        named name: Hostname, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        try await submit(.restart, on: name, ifMatch: ifMatch, by: requester, settingState: .running) { machine, host in
            steps.shutDown(machine, on: host) + (try await steps.bringUp(machine, on: host, undoable: false))
        }
    }

    /// Removes a machine from its host, then its row and lease (quarantined) in one
    /// transaction. Safe to repeat and to race: a delete that finds the machine gone by
    /// its turn succeeds with nothing to do.
    public func submitDelete(
        named name: Hostname, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        let (operation, ticket) = try await accept(.delete, on: name, ifMatch: ifMatch, by: requester)
        return await launcher.launch(.delete, id: operation, machine: name, ticket: ticket) { [self] in
            guard let machine = try await store.machine(named: name) else {
                try await launcher.start(operation, steps: 0)
                let now = environment.now()
                try await store.transaction { store in try store.finishOperation(operation, state: .succeeded, failure: nil, at: now) }
                return nil
            }
            let host = try await host(named: machine.host)
            // An imported machine was never built: nothing to remove from its host.
            let removal = machine.state == .imported ? [] : steps.remove(machine, from: host)
            try await launcher.start(operation, steps: removal.count) { store in try store.setState(.deleting, failure: nil, of: name) }
            try await run(removal, operation: operation, of: machine, action: "machine.delete", by: requester)
            let finished = environment.now()
            try await store.transaction { store in
                try store.deleteMachine(named: name, releasingAt: finished)
                try store.finishOperation(operation, state: .succeeded, failure: nil, at: finished)
                try AuditTrail(requester: requester, at: finished, operation: operation)
                    .record("machine.delete", "machine", name.value, before: machine, in: store)
            }
            logger.info("machine.deleted", metadata: ["machine": "\(name)", "ip": "\(machine.network.ip)"])
            await events.publish(
                "machine.deleted", machine: name, team: machine.team, operation: operation, data: ["ip": machine.network.ip.description])
            return nil
        }
    }

    /// Starts a machine and waits for its sshd.
    public func start(named name: Hostname, by requester: Requester = .system) async throws -> Machine {
        try await Self.machine(of: try await submitStart(named: name, by: requester))
    }

    /// Stops a machine and waits until it is down.
    public func stop(named name: Hostname, by requester: Requester = .system) async throws -> Machine {
        try await Self.machine(of: try await submitStop(named: name, by: requester))
    }

    /// Restarts a machine and waits for its sshd.
    public func restart(named name: Hostname, by requester: Requester = .system) async throws -> Machine {
        try await Self.machine(of: try await submitRestart(named: name, by: requester))
    }

    /// Deletes a machine and waits until it is gone.
    public func delete(named name: Hostname, by requester: Requester = .system) async throws {
        _ = try await submitDelete(named: name, by: requester).result()
    }

    private func submit(
        _ kind: OperationKind, on name: Hostname, ifMatch: String?, by requester: Requester, settingState state: MachineState,
        steps build: @escaping @Sendable (Machine, ComputeHost) async throws -> [LifecycleStep]
    ) async throws -> OperationHandle {
        let (operation, ticket) = try await accept(kind, on: name, ifMatch: ifMatch, by: requester)
        return await launcher.launch(kind, id: operation, machine: name, ticket: ticket) { [self] in
            guard let machine = try await store.machine(named: name), machine.state != .deleting else {
                throw KennelError(.conflict, "machine \(name) was deleted before operation \(operation) ran")
            }
            let host = try await host(named: machine.host)
            let list = try await build(machine, host)
            try await launcher.start(operation, steps: list.count)
            try await run(list, operation: operation, of: machine, action: "machine.\(kind)", by: requester)
            return try await finish(operation, settingState: state, of: machine, action: "machine.\(kind)", by: requester)
        }
    }

    /// Takes the machine's place in line and records the pending operation, or refuses.
    private func accept(
        _ kind: OperationKind, on name: Hostname, ifMatch: String?, by requester: Requester
    ) async throws -> (Int64, MachineLocks.Ticket) {
        try await launcher.tracker.admit()
        let ticket = await locks.enqueue(name)
        do {
            let now = environment.now()
            let operation = try await store.transaction { store in
                guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
                try requester.principal.requireChange("machine", name.value, team: machine.team)
                try EntityTag.check(ifMatch, against: machine, kind: "machine", name: name.value)
                guard machine.state != .deleting else { throw KennelError(.conflict, "machine \(name) is being deleted") }
                if machine.state == .imported, kind == .stop || kind == .restart {
                    throw KennelError(.conflict, "machine \(name) was imported and never started: start it to build it on \(machine.host)")
                }
                return try store.beginOperation(
                    kind, machine: name, team: machine.team, requestedBy: requester.user.value, state: .pending, at: now)
            }
            return (operation, ticket)
        } catch {
            await locks.release(ticket)
            throw error
        }
    }
}
