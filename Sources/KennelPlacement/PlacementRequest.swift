import KennelModel

/// What a new machine needs from a host.
public struct PlacementRequest: Sendable, Equatable {
    public var idc: Hostname
    public var zone: Hostname?
    /// The rack, when the machine must stand in one (an import keeps a VM's rack).
    public var rack: Hostname?
    public var resources: Resources
    /// The VLANs of the pools that can give the machine an address; the host's bridge
    /// must trunk at least one.
    public var vlans: Set<VLANID>
    /// The spread group, if any.
    public var service: Label?
    public var spread: SpreadMode
    public var hostClass: Label?
    public var hostLabels: [Label]
    /// How hosts that pass every filter are ranked.
    public var scoring: ScoringPolicy

    /// Creates a request.
    public init(
        idc: Hostname, zone: Hostname?, resources: Resources, vlans: Set<VLANID>, service: Label?,
        spread: SpreadMode = .bestEffort, hostClass: Label? = nil, hostLabels: [Label] = [], scoring: ScoringPolicy = .spread,
        rack: Hostname? = nil
    ) {
        self.idc = idc
        self.zone = zone
        self.rack = rack
        self.resources = resources
        self.vlans = vlans
        self.service = service
        self.spread = spread
        self.hostClass = hostClass
        self.hostLabels = hostLabels
        self.scoring = scoring
    }
}
