import KennelModel

/// A size an import already wrote, applied on the machine's host.
extension MachineService {
    /// Applies the machine's stored size on its host as operation `limits` (or `resize`
    /// when its disk grew): CPU and memory live on a running machine, the volume grown
    /// online. Nil when there is nothing to do on a host (the machine is imported, never
    /// built, or stopped with the same disk: its next start applies the limits).
    func submitImportedSize(named name: Hostname, diskGrew: Bool, by requester: Requester) async throws -> OperationHandle? {
        guard let machine = try await store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        guard machine.state == .running || (machine.state == .stopped && diskGrew) else { return nil }
        let runtime = runtime
        let change = SpecChange(
            kind: diskGrew ? .resize : .limits, action: diskGrew ? "machine.resize" : "machine.limits",
            event: diskGrew ? "machine.resized" : "machine.limits-changed",
            eventData: { ["cpus": "\($0.cpus.value)", "memory": $0.memory.description, "disk": $0.disk.description] },
            doing: "applying the imported size",
            decide: { machine, _ in machine.spec },
            stepName: { _, _ in diskGrew ? "resize volume and apply limits" : "apply limits" },
            apply: { machine, host in
                if diskGrew { try await runtime.resize(machine, on: host) }
                if machine.state == .running { try await runtime.applyLimits(machine, on: host) }
            })
        return try await submit(change, named: name, ifMatch: nil, by: requester)
    }
}
