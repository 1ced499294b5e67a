/// An IPv4 address pool: one L2 subnet on one VLAN, scoped to an IDC and optionally to
/// some of its zones, with the ranges Kennel may hand out, addresses it must never hand
/// out, the DNS settings machines get, and how long a released address rests before reuse.
public struct Pool: Hashable, Sendable, Codable {
    /// Unique pool name, e.g. `dc1-vlan100`.
    public let name: Hostname
    /// The subnet.
    public let cidr: CIDR
    /// The default gateway, inside the subnet and never handed out.
    public let gateway: IPv4Address
    /// The VLAN tag machines on this pool get.
    public let vlan: VLANID
    /// The IDC the pool serves.
    public let idc: Hostname
    /// The zones it serves; empty means every zone of the IDC.
    public var zones: [Hostname]
    /// Where addresses are handed out from, in order; by default the whole subnet
    /// between network and broadcast.
    public var ranges: [AddressRange]
    /// Addresses never handed out: hosts, routers, hand-configured boxes.
    public var exclusions: [AddressRange]
    /// DNS servers written into machines' resolv.conf.
    public var dns: [IPv4Address]
    /// The search domain written into machines' resolv.conf.
    public var searchDomain: DomainName?
    /// How long a released address rests before another machine may get it (ARP caches,
    /// firewall rules and registries still point at it). Zero frees at once.
    public var quarantine: Period

    /// Creates a pool, refusing any inconsistency with the field at fault named.
    public init(
        name: Hostname, cidr: CIDR, gateway: IPv4Address, vlan: VLANID, idc: Hostname, zones: [Hostname] = [],
        ranges: [AddressRange] = [], exclusions: [AddressRange] = [], dns: [IPv4Address] = [],
        searchDomain: DomainName? = nil, quarantine: Period = .day
    ) throws(KennelError) {
        guard cidr.prefix > 0 else { throw KennelError.invalid("cidr", "a /0 pool would span every address") }
        guard cidr.prefix <= 30 else { throw KennelError.invalid("cidr", "\(cidr) is too small; the smallest pool is a /30") }
        let firstOctets = (cidr.network.value >> 24)...(cidr.broadcast.value >> 24)
        guard !firstOctets.contains(0), !firstOctets.contains(127), firstOctets.upperBound < 224 else {
            // No machine can use these; and with 0.0.0.0/8 out, no derived MAC is ever
            // 52:54:00:…, so imported libvirt MACs (52:54:00:…) cannot collide with one.
            throw KennelError.invalid(
                "cidr", "\(cidr) reaches into 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0/3 (this network, loopback, multicast, reserved)")
        }
        guard cidr.contains(gateway) else { throw KennelError.invalid("gateway", "\(gateway) is outside \(cidr)") }
        guard gateway != cidr.network, gateway != cidr.broadcast else {
            throw KennelError.invalid("gateway", "\(gateway) is the network or broadcast address of \(cidr)")
        }
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.vlan = vlan
        self.idc = idc
        self.zones = zones
        self.ranges = ranges
        self.exclusions = exclusions
        self.dns = dns
        self.searchDomain = searchDomain
        self.quarantine = quarantine
        try validateRanges()
    }

    /// Checks ranges and exclusions against the subnet; called again after every change.
    public func validateRanges() throws(KennelError) {
        let usable = (cidr.network.value + 1)...(cidr.broadcast.value - 1)
        for range in ranges where !(usable.contains(range.first.value) && usable.contains(range.last.value)) {
            throw KennelError.invalid(
                "ranges",
                "\(range) is not inside the usable addresses of \(cidr) (\(IPv4Address(usable.lowerBound))-\(IPv4Address(usable.upperBound)))")
        }
        let sorted = ranges.sorted { $0.first < $1.first }
        for (lower, upper) in zip(sorted, sorted.dropFirst()) where upper.first <= lower.last {
            throw KennelError.invalid("ranges", "\(lower) and \(upper) overlap")
        }
        for exclusion in exclusions where !(cidr.contains(exclusion.first) && cidr.contains(exclusion.last)) {
            throw KennelError.invalid("exclude", "\(exclusion) is outside \(cidr)")
        }
    }

    /// The ranges addresses come from: the configured ones, or the whole usable subnet.
    public var effectiveRanges: [ClosedRange<UInt32>] {
        guard !ranges.isEmpty else { return [(cidr.network.value + 1)...(cidr.broadcast.value - 1)] }
        return ranges.map(\.values).sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Whether the pool serves machines in `zone` of its IDC.
    public func serves(zone: Hostname) -> Bool { zones.isEmpty || zones.contains(zone) }
}
