import KennelModel

/// A host as placement sees it: the host, what its machines already hold, how many
/// machines of the requesting service it carries, and a dense index of its rack.
public struct HostCandidate: Sendable, Equatable {
    /// The host. Kept behind one immutable reference so that copying a candidate in the
    /// placement loop costs one retain, not one per string of the host.
    public var host: ComputeHost { box.host }
    let box: HostBox
    /// Resources reserved by machines on it now.
    public let used: Resources
    /// Machines of the request's service on this host.
    public let serviceMachines: Int
    /// 0..<number of racks among the candidates; hosts of one rack share it. Lets
    /// placement count per rack with an array instead of hashing names.
    public let rackIndex: Int
    /// What may still be promised on the host after overcommit.
    public let free: Resources
    /// Share of CPU and memory still free after overcommit, 0…1; what scoring ranks by.
    let freeShare: Double

    /// Creates a candidate.
    public init(host: ComputeHost, used: Resources, serviceMachines: Int = 0, rackIndex: Int) {
        box = HostBox(host)
        self.used = used
        self.serviceMachines = serviceMachines
        self.rackIndex = rackIndex
        let ratio = host.overcommit
        let capacity = host.capacity
        free = host.free(after: used)
        let cpuCapacity = Double(capacity.cpus) * ratio.cpu
        let memoryCapacity = Double(capacity.memory.bytes) * ratio.memory
        let cpuShare = cpuCapacity > 0 ? Double(free.cpus) / cpuCapacity : 0
        let memoryShare = memoryCapacity > 0 ? Double(free.memory.bytes) / memoryCapacity : 0
        freeShare = (cpuShare + memoryShare) / 2
    }

    public static func == (lhs: HostCandidate, rhs: HostCandidate) -> Bool {
        lhs.host == rhs.host && lhs.used == rhs.used && lhs.serviceMachines == rhs.serviceMachines && lhs.rackIndex == rhs.rackIndex
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
}

/// An immutable holder for a host, shared by copies of its candidate.
final class HostBox: Sendable {
    let host: ComputeHost
    init(_ host: ComputeHost) { self.host = host }
}
