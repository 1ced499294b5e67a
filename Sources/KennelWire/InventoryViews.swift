import KennelModel

import KennelControl

/// A host and its usage as the API shows it.
public struct HostView: Codable, Sendable, Equatable {
    public let name: String
    public let uri: String
    public let idc: String
    public let zone: String
    public let rack: String
    public let state: String
    public let cpus: Int
    public let memory: String
    public let disk: String
    public let bandwidth: String?
    public let cpuOvercommit: Double
    public let memoryOvercommit: Double
    public let diskOvercommit: Double
    public let bandwidthOvercommit: Double
    public let bridge: String
    public let vlans: [Int]
    public let hostClass: String?
    public let labels: [String]
    /// Where machines' root volumes live: `loopfile:/DIR`, `lvm:VG` or `lvm:VG/POOL`.
    public let volumes: String
    public let usedCpus: Int
    public let usedMemory: String
    public let usedDisk: String
    public let machines: Int
    /// What the host is (`GET /api/v1/hosts/{name}` only; absent in lists).
    public var facts: HostFactsView?
    /// Why the facts could not be read, when they could not.
    public var factsError: String?

    enum CodingKeys: String, CodingKey {
        case name, uri, idc, zone, rack, state, cpus, memory, disk, bandwidth, bridge, vlans, labels, volumes, machines, facts
        case factsError = "facts_error"
        case cpuOvercommit = "cpu_overcommit"
        case memoryOvercommit = "memory_overcommit"
        case diskOvercommit = "disk_overcommit"
        case bandwidthOvercommit = "bandwidth_overcommit"
        case hostClass = "class"
        case usedCpus = "used_cpus"
        case usedMemory = "used_memory"
        case usedDisk = "used_disk"
    }

    /// The view of a host with its usage. Its URI is shown without a password.
    public init(_ details: HostDetails) {
        let host = details.host
        name = host.name.value
        uri = HostView.redacted(host.uri.text)
        idc = host.location.idc.value
        zone = host.location.zone.value
        rack = host.location.rack.value
        state = host.state.rawValue
        cpus = host.capacity.cpus
        memory = host.capacity.memory.description
        disk = host.capacity.disk.description
        bandwidth = host.bandwidth?.description
        cpuOvercommit = host.overcommit.cpu
        memoryOvercommit = host.overcommit.memory
        diskOvercommit = host.overcommit.disk
        bandwidthOvercommit = host.overcommit.bandwidth
        bridge = host.bridge
        vlans = host.vlans.map(\.value)
        hostClass = host.hostClass?.value
        labels = host.labels.map(\.value)
        volumes = host.volumes.description
        usedCpus = details.used.cpus
        usedMemory = details.used.memory.description
        usedDisk = details.used.disk.description
        machines = details.machines.count
    }

    /// Drops any password from `scheme://user:password@host/...`.
    static func redacted(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://"), let at = uri[schemeEnd.upperBound...].firstIndex(of: "@") else { return uri }
        let userInfo = uri[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return uri }
        return String(uri[..<colon]) + ":***" + String(uri[at...])
    }
}

/// A host's facts as the API shows them.
public struct HostFactsView: Codable, Sendable, Equatable {
    public let kernel: String?
    public let libvirt: String?
    public let ovsDatapath: String?
    public let reflink: Bool?
    public let freeBytes: UInt64?
    /// `freeBytes` in binary units, `93G`.
    public let free: String?

    enum CodingKeys: String, CodingKey {
        case kernel, libvirt, reflink, free
        case ovsDatapath = "ovs_datapath"
        case freeBytes = "free_bytes"
    }

    /// The view of `facts`.
    public init(_ facts: HostFacts) {
        kernel = facts.kernel
        libvirt = facts.libvirt
        ovsDatapath = facts.ovsDatapath
        reflink = facts.reflink
        freeBytes = facts.freeBytes
        free = facts.freeBytes.map { ByteSize(bytes: ($0 >> 30) << 30).description }
    }
}

/// The answer to `GET /api/v1/hosts`.
public struct HostList: Codable, Sendable {
    public let hosts: [HostView]
    public let count: Int

    /// A list of `hosts`.
    public init(hosts: [HostView]) {
        self.hosts = hosts
        count = hosts.count
    }
}
