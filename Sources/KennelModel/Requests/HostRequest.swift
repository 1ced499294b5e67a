/// Parsing of host create and update requests.
public enum HostRequest {
    /// The fields an update may change.
    public static let updateFields: Set<String> = [
        "uri", "state", "cpus", "memory", "disk", "cpu_overcommit", "memory_overcommit", "disk_overcommit",
        "bandwidth_overcommit", "bridge", "vlans", "bandwidth", "class", "labels", "volumes", "force",
    ]

    /// The field names a create request may carry.
    public static let createFields: Set<String> = updateFields.subtracting(["force"]).union(["name", "idc", "zone", "rack"])

    /// Parses a new host, naming the first bad field.
    public static func host(from fields: RequestFields) throws(KennelError) -> ComputeHost {
        let host = ComputeHost(
            name: try fields.required("name"),
            uri: try fields.required("uri", as: LibvirtURI.self).value,
            location: SiteLocation(idc: try fields.required("idc"), zone: try fields.required("zone"), rack: try fields.required("rack")),
            capacity: Resources(
                cpus: try fields.required("cpus", as: HostCPUCount.self).value, memory: try fields.required("memory", as: RequestedSize.self).size,
                disk: try fields.required("disk", as: RequestedSize.self).size),
            bridge: try fields.optional("bridge", as: Hostname.self)?.value ?? "br0",
            vlans: try fields.optional("vlans", as: CommaList<VLANID>.self)?.items ?? []
        )
        return try apply(fields, to: host)
    }

    /// Applies the optional settings in `fields` to `host`.
    public static func apply(_ fields: RequestFields, to host: ComputeHost) throws(KennelError) -> ComputeHost {
        var updated = host
        if let uri = try fields.optional("uri", as: LibvirtURI.self) { updated.uri = HostURI(uri) }
        if let state = try fields.optional("state", as: HostStateValue.self) { updated.state = state.state }
        if let cpus = try fields.optional("cpus", as: HostCPUCount.self) { updated.capacity.cpus = cpus.value }
        if let memory = try fields.optional("memory", as: RequestedSize.self) { updated.capacity.memory = memory.size }
        if let disk = try fields.optional("disk", as: RequestedSize.self) { updated.capacity.disk = disk.size }
        if let ratio = try fields.optional("cpu_overcommit", as: Ratio.self) { updated.overcommit.cpu = ratio.value }
        if let ratio = try fields.optional("memory_overcommit", as: Ratio.self) { updated.overcommit.memory = ratio.value }
        if let ratio = try fields.optional("disk_overcommit", as: Ratio.self) { updated.overcommit.disk = ratio.value }
        if let ratio = try fields.optional("bandwidth_overcommit", as: Ratio.self) { updated.overcommit.bandwidth = ratio.value }
        if let bridge = try fields.optional("bridge", as: Hostname.self) { updated.bridge = bridge.value }
        if fields.isGiven("vlans") { updated.vlans = try fields.optional("vlans", as: CommaList<VLANID>.self)?.items ?? [] }
        if fields.isGiven("bandwidth") { updated.bandwidth = try fields.optional("bandwidth", as: RequestedRate.self)?.rate }
        if fields.isGiven("class") { updated.hostClass = try fields.optional("class") }
        if fields.isGiven("labels") { updated.labels = try fields.optional("labels", as: CommaList<Label>.self)?.items ?? [] }
        if let volumes = try fields.optional("volumes", as: VolumeConfig.self) { updated.volumes = volumes }
        return updated
    }
}

/// A host state given as text.
public struct HostStateValue: ParsableValue {
    public let state: HostState

    public init(parsing text: String) throws(InvalidValue) {
        guard let state = HostState(rawValue: text) else {
            throw InvalidValue("must be one of \(HostState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.state = state
    }

    public var description: String { state.rawValue }
}

/// An overcommit ratio, 0.1–100.
public struct Ratio: ParsableValue {
    public let value: Double

    public init(parsing text: String) throws(InvalidValue) {
        guard let value = Double(text), value.isFinite, (0.1...100).contains(value) else {
            throw InvalidValue("'\(Echo.short(text))' is not a ratio between 0.1 and 100")
        }
        self.value = value
    }

    public var description: String { String(value) }
}
