import KennelModel

/// A resolved site inventory: the topology (IDC › zone › rack), its hosts and its pools.
public struct Site: Sendable, Equatable {
    /// Every zone, as (IDC, zone).
    public var zones: [ZoneKey]
    /// Every rack.
    public var racks: [SiteLocation]
    /// Every host.
    public var hosts: [ComputeHost]
    /// Every pool.
    public var pools: [Pool]
    /// How placement ranks eligible hosts.
    public var scoring: ScoringPolicy

    /// Creates an inventory.
    public init(zones: [ZoneKey], racks: [SiteLocation], hosts: [ComputeHost], pools: [Pool], scoring: ScoringPolicy = .spread) {
        self.zones = zones
        self.racks = racks
        self.hosts = hosts
        self.pools = pools
        self.scoring = scoring
    }

    /// Every IDC named by a zone.
    public var idcs: [Hostname] { Array(Set(zones.map(\.idc))).sorted() }
}

/// A zone's full name.
public struct ZoneKey: Hashable, Sendable {
    public let idc: Hostname
    public let zone: Hostname

    /// Creates a key.
    public init(idc: Hostname, zone: Hostname) {
        self.idc = idc
        self.zone = zone
    }
}
