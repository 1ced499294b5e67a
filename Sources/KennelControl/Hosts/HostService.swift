import KennelModel

/// A host with what its machines reserve.
public struct HostDetails: Sendable, Equatable {
    public let host: ComputeHost
    public let used: Resources
    public let machines: [Hostname]
}

/// Adds, changes, drains and removes hosts, and manages the topology they stand in.
/// Unknown IDC, zone and rack references are refused, never created on the fly.
public struct HostService: Sendable {
    private let store: any MachineStore
    private let uriPolicy: HostURIPolicy
    private let environment: ServiceEnvironment

    /// Creates the service over a store; host URIs must pass `uriPolicy`.
    public init(store: any MachineStore, uriPolicy: HostURIPolicy = .realHostsOnly, environment: ServiceEnvironment = .live) {
        self.store = store
        self.uriPolicy = uriPolicy
        self.environment = environment
    }

    /// Adds a host to an existing rack.
    public func add(_ host: ComputeHost, by requester: Requester = .system) async throws -> HostDetails {
        try requester.principal.requireAdmin("adding hosts")
        let audit = AuditTrail(requester: requester, at: environment.now())
        return try await store.transaction { store in
            guard try store.host(named: host.name) == nil else {
                throw KennelError(.nameTaken, "a host named '\(host.name)' exists already", field: "name")
            }
            try checkRack(host.location, store)
            try checkURI(host.uri)
            try store.save(host)
            try audit.record("host.create", "host", host.name.value, after: host, in: store)
            return try details(host.name, store)
        }
    }

    /// Changes a host's settings; a `draining` or `maintenance` host keeps its machines
    /// but receives no new ones. A change that contradicts its machines (capacity below
    /// what they reserve, a VLAN they are on dropped) is 409 naming them, unless the host
    /// is being drained (`state` draining or maintenance) and `force=1` is given.
    public func update(
        named name: Hostname, with fields: RequestFields, ifMatch: String? = nil, by requester: Requester = .system
    ) async throws -> HostDetails {
        try requester.principal.requireAdmin("changing hosts")
        let audit = AuditTrail(requester: requester, at: environment.now())
        return try await store.transaction { store in
            let current = try existing(name, store)
            try EntityTag.check(ifMatch, against: current, kind: "host", name: name.value)
            let updated = try HostRequest.apply(fields, to: current)
            if updated.uri != current.uri { try checkURI(updated.uri) }
            let force = try fields.optional("force", as: YesNo.self)?.isSet ?? false
            if force, updated.state == .active {
                throw KennelError.invalid("force", "is only for hosts being drained: set state=draining (or maintenance) with it")
            }
            if !force {
                let machines = try store.machineNames(on: name).compactMap { try store.machine(named: $0) }
                if let refusal = HostUpdateCheck.refusal(
                    current: current, updated: updated, used: try store.usage(of: name), machines: machines, given: fields.given)
                {
                    throw refusal
                }
            }
            try store.save(updated)
            try audit.record("host.update", "host", name.value, before: current, after: updated, in: store)
            return try details(name, store)
        }
    }

    /// Removes a host that carries no machines.
    public func delete(named name: Hostname, ifMatch: String? = nil, by requester: Requester = .system) async throws {
        try requester.principal.requireAdmin("removing hosts")
        let audit = AuditTrail(requester: requester, at: environment.now())
        try await store.transaction { store in
            let current = try existing(name, store)
            try EntityTag.check(ifMatch, against: current, kind: "host", name: name.value)
            let machines = try store.machineNames(on: name)
            guard machines.isEmpty else {
                throw KennelError(
                    .conflict,
                    "host \(name) still carries \(Counted.text(machines.count, "machine")): \(machines.prefix(5).map(\.value).joined(separator: ", "))"
                )
            }
            try store.deleteHost(named: name)
            try audit.record("host.delete", "host", name.value, before: current, in: store)
        }
    }

    /// Hosts whose stored URI this Kennel refuses (written by an older version, or left
    /// from a simulated site): each is set to `maintenance`, so that no machine is placed
    /// on it, and returned with the reason. The runtime never connects to them.
    public func setAsideRefusedURIs() async throws -> [(host: Hostname, reason: String)] {
        let hosts = try await store.hosts()
        return try await store.transaction { store in
            var refused: [(host: Hostname, reason: String)] = []
            for var host in hosts {
                guard let reason = uriPolicy.refusal(of: host.uri) else { continue }
                refused.append((host.name, reason))
                if host.state == .active {
                    host.state = .maintenance
                    try store.save(host)
                }
            }
            return refused
        }
    }

    /// One host with its usage.
    public func details(named name: Hostname) async throws -> HostDetails {
        try await store.snapshot { store in try details(name, store) }
    }

    /// Every host with its usage, by name.
    public func list() async throws -> [HostDetails] {
        try await store.snapshot { store in try store.allHosts().map { try details(of: $0, store) } }
    }

    /// Adds an IDC.
    public func addIDC(_ name: Hostname, by requester: Requester = .system) async throws {
        try requester.principal.requireAdmin("changing the topology")
        let audit = AuditTrail(requester: requester, at: environment.now())
        try await store.transaction { store in
            try store.insertIDC(name)
            try audit.record("idc.create", "idc", name.value, after: ["idc": name.value], in: store)
        }
    }

    /// Adds a zone to an existing IDC.
    public func addZone(_ key: ZoneKey, by requester: Requester = .system) async throws {
        try requester.principal.requireAdmin("changing the topology")
        let audit = AuditTrail(requester: requester, at: environment.now())
        try await store.transaction { store in
            guard try store.idcExists(key.idc) else { throw KennelError(.unknownReference, "no IDC named '\(key.idc)'", field: "idc") }
            try store.insertZone(key)
            try audit.record("zone.create", "zone", "\(key.idc)/\(key.zone)", after: ["idc": key.idc.value, "zone": key.zone.value], in: store)
        }
    }

    /// Adds a rack to an existing zone.
    public func addRack(_ location: SiteLocation, by requester: Requester = .system) async throws {
        try requester.principal.requireAdmin("changing the topology")
        let audit = AuditTrail(requester: requester, at: environment.now())
        try await store.transaction { store in
            guard try store.idcExists(location.idc) else { throw KennelError(.unknownReference, "no IDC named '\(location.idc)'", field: "idc") }
            guard try store.zoneExists(location.zone, in: location.idc) else {
                throw KennelError(.unknownReference, "IDC \(location.idc) has no zone named '\(location.zone)'", field: "zone")
            }
            try store.insertRack(location)
            try audit.record("rack.create", "rack", "\(location)", after: location, in: store)
        }
    }

    /// The topology: every IDC, zone and rack.
    public func topology() async throws -> (idcs: [Hostname], zones: [ZoneKey], racks: [SiteLocation]) {
        try await store.snapshot { store in (try store.idcs(), try store.zones(), try store.racks()) }
    }

    private func existing(_ name: Hostname, _ store: any StoreTransaction) throws -> ComputeHost {
        guard let host = try store.host(named: name) else { throw KennelError.notFound("host", name.value) }
        return host
    }

    private func details(_ name: Hostname, _ store: any StoreTransaction) throws -> HostDetails {
        try details(of: try existing(name, store), store)
    }

    /// The details of a host already read: only its usage and machines are queried.
    private func details(of host: ComputeHost, _ store: any StoreTransaction) throws -> HostDetails {
        HostDetails(host: host, used: try store.usage(of: host.name), machines: try store.machineNames(on: host.name))
    }

    /// Refuses a URI this Kennel will not connect to (422 naming `uri`).
    private func checkURI(_ uri: HostURI) throws(KennelError) {
        if let reason = uriPolicy.refusal(of: uri) { throw KennelError.invalid("uri", reason) }
    }

    private func checkRack(_ location: SiteLocation, _ store: any StoreTransaction) throws {
        guard try store.idcExists(location.idc) else { throw KennelError(.unknownReference, "no IDC named '\(location.idc)'", field: "idc") }
        guard try store.zoneExists(location.zone, in: location.idc) else {
            throw KennelError(.unknownReference, "IDC \(location.idc) has no zone named '\(location.zone)'", field: "zone")
        }
        guard try store.rackExists(location) else {
            throw KennelError(.unknownReference, "zone \(location.idc)/\(location.zone) has no rack named '\(location.rack)'", field: "rack")
        }
    }
}
