import KennelModel

/// Resize: a machine's disk grown online (or an ext4 one shrunk offline) and its disk IO
/// limits changed live.
extension MachineService {
    /// Checks the request at once (422 for a bad field, 409 for a shrink that cannot be or
    /// a host without room), writes the new spec with the capacity check in one
    /// transaction, then resizes the volume and applies the limits as operation `resize`.
    public func submitResize(
        named name: Hostname, _ request: ResizeRequest, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> OperationHandle {
        let runtime = runtime
        let change = SpecChange(
            kind: .resize, action: "machine.resize", event: "machine.resized", eventData: { ["disk": $0.disk.description] },
            doing: "resizing the volume",
            decide: { machine, store in
                let spec = try request.spec(from: machine.spec)
                let decision = DiskResize.decide(
                    from: machine.spec.disk, to: spec.disk, filesystem: machine.spec.filesystem, running: machine.state != .stopped,
                    allowShrink: request.allowShrink)
                if case .refused(let reason) = decision {
                    throw KennelError(.conflict, "disk of \(name) cannot go from \(machine.spec.disk) to \(spec.disk): \(reason)", field: "disk")
                }
                if decision == .grow {
                    try Self.checkRoom(for: ByteSize(bytes: spec.disk.bytes - machine.spec.disk.bytes), on: machine.host, in: store)
                }
                return spec
            },
            stepName: { before, after in after.spec.disk < before.spec.disk ? "shrink volume offline" : "resize volume" },
            apply: { machine, host in try await runtime.resize(machine, on: host) })
        return try await submit(change, named: name, ifMatch: ifMatch, by: requester)
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
