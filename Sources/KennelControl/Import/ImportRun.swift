import Foundation
import KennelModel

/// The body of operation `import`: writes the plan's rows in one transaction, then
/// (unless records only) builds the new machines and applies changed sizes on hosts,
/// counting its progress row by row.
struct ImportRun: Sendable {
    let plan: ImportPlan
    let options: ImportApplyOptions
    let operation: Int64
    let requester: Requester
    let store: any MachineStore
    let machines: MachineService
    let environment: ServiceEnvironment

    /// What the write left for the hosts: machines to build, machines whose size changed.
    struct Written: Sendable {
        var summary: ImportSummary
        var created: [(row: Int, name: Hostname)]
        var resized: [(row: Int, name: Hostname, diskGrew: Bool)]
    }

    func execute() async throws {
        let writes = plan.rows.filter { $0.action == .create || $0.action == .update }.count
        let progress = machines.launcher.tracker.progress
        let builds = options.recordsOnly ? 0 : writes
        progress.set(operation, done: 0, total: writes + builds)
        try await machines.launcher.start(operation, steps: options.recordsOnly ? 1 : 2)
        try await begin(0, "write \(writes) machine\(writes == 1 ? "" : "s")")
        var written: Written
        do {
            written = try await write(total: writes + builds)
        } catch {
            try await end(0, error: error)
            throw error
        }
        try await end(0, error: nil)
        var failures: [(position: Int, was: ImportOutcome.Result, reason: String)] = []
        if !options.recordsOnly {
            let count = written.created.count + written.resized.count
            try await begin(1, "build \(written.created.count) and resize \(written.resized.count) on hosts")
            failures = await buildAndResize(written, done: writes, total: writes + count)
            try await end(1, error: nil)
        }
        var summary = written.summary
        for failure in failures {
            summary.totals[failure.was, default: 1] -= 1
            summary.totals[.failed, default: 0] += 1
        }
        let failed = summary.totals[.failed] ?? 0
        let now = environment.now()
        let failure =
            failed == 0
            ? nil
            : OperationFailure(
                code: .hostFailure,
                message: "\(failed) machine\(failed == 1 ? "" : "s") of the import could not be built or resized; its rows name them "
                    + "(they stay, to be started again or deleted)")
        try await store.transaction { [summary, failures] store in
            for failure in failures {
                try store.setImportRowResult(.failed, reason: failure.reason, position: failure.position, of: operation)
            }
            try store.setResult(OperationResult(imported: summary), of: operation)
            try store.finishOperation(operation, state: failure == nil ? .succeeded : .failed, failure: failure, at: now)
        }
        var data: [String: String] = [:]
        for (result, count) in summary.totals { data[result.rawValue] = "\(count)" }
        await machines.events.publish("import.applied", machine: ImportService.operationTarget, team: nil, operation: operation, data: data)
        if let failure { throw failure.error }
    }

    /// Every create and update in one transaction. Without `partial` the first row the
    /// store refuses throws (naming the row) and nothing stays written; with it, each row
    /// runs in a savepoint and a refused row is an error in the outcome.
    private func write(total: Int) async throws -> Written {
        let now = environment.now()
        let makeUUID = environment.makeUUID
        let plan = plan
        let options = options
        let requester = requester
        let operation = operation
        let progress = machines.launcher.tracker.progress
        return try await store.transaction { store in
            let memo = PlacementMemo()
            let sources = try store.machineSources()
            let audit = AuditTrail(requester: requester, at: now, operation: operation)
            var written = Written(summary: ImportSummary(recordsOnly: options.recordsOnly), created: [], resized: [])
            var done = 0
            for (index, row) in plan.rows.enumerated() {
                var result = ImportOutcome.Row(
                    file: row.file, row: row.row, sourceName: row.sourceName, sourceID: row.sourceID, machine: row.request?.name.value,
                    result: .error, reason: row.reasons.isEmpty ? nil : row.reasons.joined(separator: "; "))
                switch row.action {
                case .skip: result.result = .skipped
                case .unchanged: result.result = .unchanged
                case .error: result.result = .error
                case .create, .update:
                    guard let request = row.request, let sourceID = row.sourceID else {
                        throw KennelError(.internal, "import row \(row.row) has no request")
                    }
                    do {
                        let apply = {
                            if row.action == .create {
                                try Self.create(
                                    request, sourceID: sourceID, uuid: makeUUID(), now: now, recordsOnly: options.recordsOnly,
                                    memo: memo, audit: audit, in: store)
                                written.created.append((index, request.name))
                                result.result = .created
                            } else {
                                guard let name = sources[sourceID] else {
                                    throw KennelError(.conflict, "the machine of source id \(sourceID) is gone")
                                }
                                let change = try Self.update(name, to: request, audit: audit, in: store)
                                if let diskGrew = change { written.resized.append((index, name, diskGrew)) }
                                result.result = .updated
                            }
                        }
                        if options.partial {
                            // A row rolled back is not counted on its host for the rows after it.
                            let before = memo.checkpoint()
                            do { try store.savepoint(apply) } catch {
                                memo.restore(before)
                                throw error
                            }
                        } else {
                            try apply()
                        }
                    } catch let error as KennelError {
                        guard options.partial else { throw Self.refusal(of: row, error) }
                        result.result = .error
                        result.reason = Self.refusal(of: row, error).message
                    }
                    done += 1
                    if done % 256 == 0 { progress.set(operation, done: done, total: total) }
                }
                written.summary.totals[result.result, default: 0] += 1
                try store.appendImportRow(result, position: index, of: operation)
            }
            progress.set(operation, done: done, total: total)
            return written
        }
    }

    /// Writes a new machine: claimed as a create claims it (its address and MAC kept),
    /// in state `imported`, or `provisioning` when it is built next; its source id kept.
    private static func create(
        _ request: MachineRequest, sourceID: String, uuid: UUID, now: Date, recordsOnly: Bool, memo: PlacementMemo, audit: AuditTrail,
        in store: any StoreTransaction
    ) throws {
        // Built by its first start, in this run or later: both begin as `imported`.
        let claim = MachineClaim(request: request, uuid: uuid, now: now, state: .imported)
        let machine = try claim.run(in: store, memo: memo)
        try store.setSource(sourceID, of: machine.name)
        try audit.record("machine.import", "machine", machine.name.value, after: ImportedMachineAudit(machine, sourceID: sourceID), in: store)
    }

    /// Writes what changed on an existing machine: CPUs, memory and disk (checked against
    /// its host's free room, as limits and resize check it), team, service and owner.
    /// Returns nil when its size stayed, else whether its disk grew.
    private static func update(_ name: Hostname, to request: MachineRequest, audit: AuditTrail, in store: any StoreTransaction) throws -> Bool? {
        guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        var spec = machine.spec
        spec.cpus = request.spec.cpus
        spec.memory = request.spec.memory
        spec.disk = request.spec.disk
        if spec.disk < machine.spec.disk {
            throw KennelError(.conflict, "disk of \(name) cannot shrink from \(machine.spec.disk) to \(spec.disk) by an import", field: "disk")
        }
        if spec != machine.spec {
            guard let host = try store.host(named: machine.host) else {
                throw KennelError(.internal, "machine placed on unknown host \(machine.host)")
            }
            let free = host.free(after: try store.usage(of: machine.host))
            if let shortfall = LimitsGrowth(from: machine.spec.resources, to: spec.resources).shortfall(in: free) {
                throw KennelError(.noCapacity, "host \(machine.host) cannot hold \(name)'s new size: \(shortfall.reason)", field: shortfall.field)
            }
            let growth = ByteSize(bytes: spec.disk.bytes - machine.spec.disk.bytes)
            if growth > free.disk {
                throw KennelError(
                    .noCapacity, "host \(machine.host) has \(free.disk) of disk free; \(name) growing by \(growth) does not fit", field: "disk")
            }
            try store.setSpec(spec, of: name)
        }
        if machine.team != request.team || machine.service != request.service || machine.owner != request.owner {
            if let team = request.team, try store.team(named: team) == nil {
                throw KennelError(.unknownReference, "no team named '\(team)'", field: "team")
            }
            try store.setOwnership(team: request.team, service: request.service, owner: request.owner, of: name)
        }
        try audit.record("machine.import", "machine", name.value, before: machine, after: try store.machine(named: name), in: store)
        return spec == machine.spec ? nil : spec.disk > machine.spec.disk
    }

    /// A row the store refused, named as the plan names rows.
    private static func refusal(of row: ImportPlan.Row, _ error: KennelError) -> KennelError {
        let place = (row.file.map { "\($0) " } ?? "") + "row \(row.row) (\(row.sourceName))"
        return KennelError(error.code, "\(place): \(error.message); nothing was written", field: error.field)
    }

    /// Builds the new machines (their first start) and applies changed sizes on running
    /// machines' hosts, a few at a time; each failure is that row's, not the run's.
    /// Returns the rows that failed: their position, the result they had, and why.
    private func buildAndResize(_ written: Written, done: Int, total: Int) async -> [(position: Int, was: ImportOutcome.Result, reason: String)] {
        enum Job: Sendable {
            case build(row: Int, name: Hostname)
            case resize(row: Int, name: Hostname, diskGrew: Bool)
        }
        let jobs =
            written.created.map { Job.build(row: $0.row, name: $0.name) }
            + written.resized.map { Job.resize(row: $0.row, name: $0.name, diskGrew: $0.diskGrew) }
        let machines = machines
        let requester = requester
        let progress = machines.launcher.tracker.progress
        let operation = operation
        var failures: [(position: Int, was: ImportOutcome.Result, reason: String)] = []
        await withTaskGroup(of: (Int, ImportOutcome.Result, String?).self) { group in
            func add(_ job: Job) {
                group.addTask {
                    switch job {
                    case .build(let row, let name):
                        do {
                            _ = try await machines.submitStart(named: name, by: requester).result()
                            return (row, .created, nil)
                        } catch {
                            return (row, .created, "building \(name) failed: \((error as? KennelError)?.message ?? "\(error)")")
                        }
                    case .resize(let row, let name, let diskGrew):
                        do {
                            guard let handle = try await machines.submitImportedSize(named: name, diskGrew: diskGrew, by: requester) else {
                                return (row, .updated, nil)
                            }
                            _ = try await handle.result()
                            return (row, .updated, nil)
                        } catch {
                            return (row, .updated, "applying the new size of \(name) failed: \((error as? KennelError)?.message ?? "\(error)")")
                        }
                    }
                }
            }
            var next = 0
            while next < min(options.parallelStarts, jobs.count) {
                add(jobs[next])
                next += 1
            }
            var finished = done
            for await (row, was, failure) in group {
                if let failure { failures.append((row, was, failure)) }
                finished += 1
                progress.set(operation, done: finished, total: total)
                if next < jobs.count {
                    add(jobs[next])
                    next += 1
                }
            }
        }
        return failures
    }

    private func begin(_ position: Int, _ name: String) async throws {
        let now = environment.now()
        try await store.transaction { [operation] store in try store.beginStep(of: operation, position: position, name: name, at: now) }
        await machines.events.publish(
            "operation.step", machine: ImportService.operationTarget, team: nil, operation: operation,
            data: ["step": name, "position": "\(position)", "outcome": "started"])
    }

    private func end(_ position: Int, error: (any Error)?) async throws {
        let now = environment.now()
        let text = error.map { ($0 as? KennelError)?.message ?? "\($0)" }
        try await store.transaction { [operation] store in
            try store.endStep(of: operation, position: position, outcome: text == nil ? .finished : .failed, error: text, at: now)
        }
    }
}

/// What the audit log keeps of a machine an import made: its identity, place and size,
/// and the row it came from.
private struct ImportedMachineAudit: Encodable {
    let name: String
    let uuid: UUID
    let state: String
    let host: String
    let location: String
    let pool: String
    let ip: String
    let mac: String
    let cpus: Int
    let memory: String
    let disk: String
    let image: String
    let service: String?
    let owner: String?
    let team: String?
    let sourceID: String

    init(_ machine: Machine, sourceID: String) {
        name = machine.name.value
        uuid = machine.uuid
        state = machine.state.rawValue
        host = machine.host.value
        location = machine.location.description
        pool = machine.network.pool.value
        ip = machine.network.ip.description
        mac = machine.network.mac.description
        cpus = machine.spec.cpus.value
        memory = machine.spec.memory.description
        disk = machine.spec.disk.description
        image = machine.spec.image.value
        service = machine.service?.value
        owner = machine.owner?.value
        team = machine.team?.value
        self.sourceID = sourceID
    }

    enum CodingKeys: String, CodingKey {
        case name, uuid, state, host, location, pool, ip, mac, cpus, memory, disk, image, service, owner, team
        case sourceID = "source_id"
    }
}
