import KennelModel

/// Limits: a machine's CPUs, memory, bandwidth and disk IO changed while it runs.
extension MachineService {
    /// Checks the request at once (422 for a bad field; 409 for lowering memory below what
    /// the machine uses now without `force=1`, or an increase its host cannot hold, with
    /// the placement details), writes the new spec with the capacity check in one
    /// transaction, then applies the limits live as operation `limits`.
    public func submitLimits(
        named name: Hostname, _ request: LimitsRequest, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        if !request.force, let machine = try await store.machine(named: name), machine.state == .running {
            try requester.principal.requireChange("machine", name.value, team: machine.team)
            let spec = try request.spec(from: machine.spec)
            if spec.memory < machine.spec.memory, let used = try await runtime.memoryInUse(of: machine, on: try await host(named: machine.host)),
                spec.memory < used
            {
                throw KennelError(
                    .conflict,
                    "\(name) uses \(used.roundedUp(toMultipleOf: .mebibytes(1))) of memory now (page cache included); memory=\(spec.memory) is below it. Free memory inside first, or add force=1 to let the kernel reclaim what it can",
                    field: "memory")
            }
        }
        let runtime = runtime
        let change = SpecChange(
            kind: .limits, action: "machine.limits", event: "machine.limits-changed",
            eventData: { ["cpus": "\($0.cpus.value)", "memory": $0.memory.description] }, doing: "applying the limits",
            decide: { machine, store in
                let spec = try request.spec(from: machine.spec)
                try Self.checkRoom(from: machine.spec, to: spec, on: machine.host, in: store)
                return spec
            },
            stepName: { _, _ in "apply limits" },
            apply: { machine, host in try await runtime.applyLimits(machine, on: host) }, undoable: true)
        return try await submit(change, named: name, ifMatch: ifMatch, by: requester)
    }

    /// Throws `no_capacity` with the placement details when an increase does not fit in
    /// what the host has free (the same figures placement uses).
    private static func checkRoom(from before: MachineSpec, to after: MachineSpec, on host: Hostname, in store: any StoreTransaction) throws {
        guard let record = try store.host(named: host) else { throw KennelError(.internal, "machine placed on unknown host \(host)") }
        let growth = LimitsGrowth(from: before.resources, to: after.resources)
        guard let shortfall = growth.shortfall(in: record.free(after: try store.usage(of: host))) else { return }
        throw KennelError(
            .noCapacity, "host \(host) cannot hold the increase: \(shortfall.reason)", field: shortfall.field,
            details: RefusalDetails(
                filtered: [shortfall.filter: 1],
                hosts: [RefusalDetails.HostReason(host: host.value, filter: shortfall.filter, reason: shortfall.reason)]))
    }
}
