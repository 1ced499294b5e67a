import KennelModel

/// A host as placement sees it: the host, what its machines already hold, and how many
/// machines of the requesting service it carries.
public struct HostCandidate: Sendable, Equatable {
    /// The host.
    public let host: ComputeHost
    /// Resources reserved by machines on it now.
    public let used: Resources
    /// Machines of the request's service on this host.
    public let serviceMachines: Int

    /// Creates a candidate.
    public init(host: ComputeHost, used: Resources, serviceMachines: Int = 0) {
        self.host = host
        self.used = used
        self.serviceMachines = serviceMachines
    }

    /// What may still be promised on the host after overcommit.
    public var free: Resources {
        let capacity = host.capacity
        let ratio = host.overcommit
        let cpus = Int((Double(capacity.cpus) * ratio.cpu).rounded(.down)) - used.cpus
        let memory = Self.scaled(capacity.memory, ratio.memory).bytes.subtractingClamped(used.memory.bytes)
        let disk = Self.scaled(capacity.disk, ratio.disk).bytes.subtractingClamped(used.disk.bytes)
        return Resources(cpus: max(cpus, 0), memory: ByteSize(bytes: memory), disk: ByteSize(bytes: disk))
    }

    private static func scaled(_ size: ByteSize, _ ratio: Double) -> ByteSize {
        ByteSize(bytes: UInt64((Double(size.bytes) * ratio).rounded(.down)))
    }
}

extension UInt64 {
    func subtractingClamped(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
