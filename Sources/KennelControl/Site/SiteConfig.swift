import Foundation
import KennelModel

/// The site file (`Ops/demo/site.json` for the demo): topology, hosts and pools as an
/// operator writes them. Decoding parses every value, so a bad file fails at start-up
/// with the path of the bad key.
public struct SiteConfig: Sendable, Decodable {
    /// When true, hosts without a `uri` are simulated by libvirt's test driver.
    public var simulated: Bool
    public var idcs: [IDC]
    public var pools: [PoolEntry]
    /// Placement settings; scoring defaults to `spread`.
    public var placement: PlacementSettings?

    public struct PlacementSettings: Sendable, Decodable {
        public var scoring: ScoringPolicy?
    }

    public struct IDC: Sendable, Decodable {
        public var name: Hostname
        public var zones: [Zone]
    }

    public struct Zone: Sendable, Decodable {
        public var name: Hostname
        public var racks: [Rack]
    }

    public struct Rack: Sendable, Decodable {
        public var name: Hostname
        public var hosts: [HostEntry]
    }

    public struct HostEntry: Sendable, Decodable {
        public var name: Hostname
        /// libvirt URI; required unless the site is simulated.
        public var uri: String?
        public var cpus: HostCPUCount
        public var memory: ByteSize
        public var disk: ByteSize
        public var bridge: String?
        public var vlans: [VLANID]
        public var overcommit: Overcommit?
        public var state: HostState?
        /// NIC capacity in each direction, e.g. "10G".
        public var bandwidth: Bandwidth?
        /// Host class, e.g. "general".
        public var hostClass: Label?
        public var labels: [Label]?
        /// Where machines' root volumes live, e.g. "loopfile:/var/lib/kennel/volumes".
        public var volumes: VolumeConfig?

        enum CodingKeys: String, CodingKey {
            case name, uri, cpus, memory, disk, bridge, vlans, overcommit, state, bandwidth, labels, volumes
            case hostClass = "class"
        }
    }

    public struct PoolEntry: Sendable, Decodable {
        public var name: Hostname
        public var cidr: CIDR
        public var gateway: IPv4Address
        public var vlan: VLANID
        public var idc: Hostname
        public var zones: [Hostname]?
        public var ranges: [AddressRange]?
        public var exclude: [AddressRange]?
        public var dns: [IPv4Address]?
        public var searchDomain: DomainName?
        public var quarantine: Period?

        enum CodingKeys: String, CodingKey {
            case name, cidr, gateway, vlan, idc, zones, ranges, exclude, dns, quarantine
            case searchDomain = "search_domain"
        }
    }

    /// Reads and decodes a site file.
    public static func load(from url: URL) throws -> SiteConfig {
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode(SiteConfig.self, from: data)
        } catch let error as DecodingError {
            throw KennelError(.badRequest, "site file \(url.path): \(SiteConfig.explain(error))")
        }
    }

    /// Every host entry with its location, in file order.
    public var hostEntries: [(location: SiteLocation, entry: HostEntry)] {
        idcs.flatMap { idc in
            idc.zones.flatMap { zone in
                zone.racks.flatMap { rack in
                    rack.hosts.map { (SiteLocation(idc: idc.name, zone: zone.name, rack: rack.name), $0) }
                }
            }
        }
    }

    /// Resolves the file into an inventory.
    ///
    /// - Parameter simulatedURI: gives the libvirt URI of a simulated host; used for hosts
    ///   without a `uri` when `simulated` is true.
    /// - Parameter policy: which URIs are allowed; a host with another one fails the load.
    public func resolve(policy: HostURIPolicy, simulatedURI: (HostEntry) throws -> String) throws -> Site {
        let zones = idcs.flatMap { idc in idc.zones.map { ZoneKey(idc: idc.name, zone: $0.name) } }
        let racks = idcs.flatMap { idc in
            idc.zones.flatMap { zone in zone.racks.map { SiteLocation(idc: idc.name, zone: zone.name, rack: $0.name) } }
        }
        let hosts = try hostEntries.map { location, entry in
            guard let uri = try entry.uri ?? (simulated ? simulatedURI(entry) : nil) else {
                throw KennelError.invalid("uri", "host \(entry.name) has no uri and the site is not simulated")
            }
            do throws(InvalidValue) {
                _ = try policy.uri(uri)
            } catch {
                throw KennelError.invalid("uri", "host \(entry.name): \(error.reason)")
            }
            return ComputeHost(
                name: entry.name, uri: uri, location: location,
                capacity: Resources(cpus: entry.cpus.value, memory: entry.memory, disk: entry.disk),
                overcommit: entry.overcommit ?? Overcommit(), bridge: entry.bridge ?? "br0",
                vlans: entry.vlans, state: entry.state ?? .active,
                bandwidth: entry.bandwidth, hostClass: entry.hostClass, labels: entry.labels ?? [],
                volumes: entry.volumes ?? .standard
            )
        }
        let pools = try self.pools.map { entry throws(KennelError) in
            try Pool(
                name: entry.name, cidr: entry.cidr, gateway: entry.gateway, vlan: entry.vlan,
                idc: entry.idc, zones: entry.zones ?? [], ranges: entry.ranges ?? [], exclusions: entry.exclude ?? [],
                dns: entry.dns ?? [], searchDomain: entry.searchDomain, quarantine: entry.quarantine ?? .day)
        }
        try Self.checkUnique(hosts.map(\.name), what: "host")
        try Self.checkUnique(pools.map(\.name), what: "pool")
        for pool in pools where !zones.contains(where: { $0.idc == pool.idc }) {
            throw KennelError(.unknownReference, "pool \(pool.name) names unknown IDC \(pool.idc)", field: "idc")
        }
        return Site(zones: zones, racks: racks, hosts: hosts, pools: pools, scoring: placement?.scoring ?? .spread)
    }

    private static func checkUnique(_ names: [Hostname], what: String) throws {
        var seen = Set<Hostname>()
        for name in names where !seen.insert(name).inserted {
            throw KennelError.invalid("name", "\(what) \(name) appears twice in the site file")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
