import KennelModel

/// A host as placement sees it: the host, what its machines already hold, how many
/// machines of the requesting service it carries, and a dense index of its rack.
public struct HostCandidate: Sendable, Equatable {
    public let host: ComputeHost
    /// Resources reserved by machines on it now.
    public let used: Resources
    /// Machines of the request's service on this host.
    public let serviceMachines: Int
    /// 0..<number of racks among the candidates; hosts of one rack share it. Lets
    /// placement count per rack with an array instead of hashing names.
    public let rackIndex: Int
    /// What may still be promised on the host after overcommit.
    public let free: Resources

    /// Creates a candidate.
    public init(host: ComputeHost, used: Resources, serviceMachines: Int = 0, rackIndex: Int) {
        self.host = host
        self.used = used
        self.serviceMachines = serviceMachines
        self.rackIndex = rackIndex
        let ratio = host.overcommit
        let capacity = host.capacity
        let bandwidth = host.bandwidth?.bitsPerSecond ?? .max
        free = Resources(
            cpus: max(Int((Double(capacity.cpus) * ratio.cpu).rounded(.down)) - used.cpus, 0),
            memory: ByteSize(bytes: Self.scaled(capacity.memory.bytes, ratio.memory).subtractingClamped(used.memory.bytes)),
            disk: ByteSize(bytes: Self.scaled(capacity.disk.bytes, ratio.disk).subtractingClamped(used.disk.bytes)),
            ingress: bandwidth.subtractingClamped(used.ingress),
            egress: bandwidth.subtractingClamped(used.egress)
        )
    }

    /// Builds candidates from hosts and their usage, assigning rack indexes.
    public static func make(_ entries: [(host: ComputeHost, used: Resources, serviceMachines: Int)]) -> [HostCandidate] {
        var racks: [SiteLocation: Int] = [:]
        return entries.map { entry in
            let index = racks[entry.host.location] ?? racks.count
            racks[entry.host.location] = index
            return HostCandidate(host: entry.host, used: entry.used, serviceMachines: entry.serviceMachines, rackIndex: index)
        }
    }

    /// Share of CPU and memory still free after overcommit, 0…1; what scoring ranks by.
    var freeShare: Double {
        let cpuCapacity = Double(host.capacity.cpus) * host.overcommit.cpu
        let memoryCapacity = Double(host.capacity.memory.bytes) * host.overcommit.memory
        let cpu = cpuCapacity > 0 ? Double(free.cpus) / cpuCapacity : 0
        let memory = memoryCapacity > 0 ? Double(free.memory.bytes) / memoryCapacity : 0
        return (cpu + memory) / 2
    }

    private static func scaled(_ value: UInt64, _ ratio: Double) -> UInt64 {
        UInt64((Double(value) * ratio).rounded(.down))
    }
}

extension UInt64 {
    func subtractingClamped(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
