/// Parsing of pool create and update requests.
public enum PoolRequest {
    /// The field names a create request may carry.
    public static let createFields: Set<String> = [
        "name", "cidr", "gateway", "vlan", "idc", "zones", "ranges", "exclude", "dns", "search_domain", "quarantine",
    ]

    /// The fields an update may change; the rest define the pool's network and never change.
    public static let updateFields: Set<String> = ["zones", "ranges", "exclude", "dns", "search_domain", "quarantine"]

    /// Parses a new pool, naming the first bad field.
    public static func pool(from fields: RequestFields) throws(KennelError) -> Pool {
        try Pool(
            name: try fields.required("name"),
            cidr: try fields.required("cidr"),
            gateway: try fields.required("gateway"),
            vlan: try fields.required("vlan"),
            idc: try fields.required("idc"),
            zones: try fields.optional("zones", as: CommaList<Hostname>.self)?.items ?? [],
            ranges: try fields.optional("ranges", as: CommaList<AddressRange>.self)?.items ?? [],
            exclusions: try fields.optional("exclude", as: CommaList<AddressRange>.self)?.items ?? [],
            dns: try fields.optional("dns", as: CommaList<IPv4Address>.self)?.items ?? [],
            searchDomain: try fields.optional("search_domain"),
            quarantine: try fields.value("quarantine", default: Period.day)
        )
    }

    /// Applies an update to `pool`: a field given empty clears it (quarantine becomes 0).
    public static func apply(_ fields: RequestFields, to pool: Pool) throws(KennelError) -> Pool {
        var updated = pool
        if fields.isGiven("zones") { updated.zones = try fields.optional("zones", as: CommaList<Hostname>.self)?.items ?? [] }
        if fields.isGiven("ranges") { updated.ranges = try fields.optional("ranges", as: CommaList<AddressRange>.self)?.items ?? [] }
        if fields.isGiven("exclude") { updated.exclusions = try fields.optional("exclude", as: CommaList<AddressRange>.self)?.items ?? [] }
        if fields.isGiven("dns") { updated.dns = try fields.optional("dns", as: CommaList<IPv4Address>.self)?.items ?? [] }
        if fields.isGiven("search_domain") { updated.searchDomain = try fields.optional("search_domain") }
        if fields.isGiven("quarantine") { updated.quarantine = try fields.optional("quarantine") ?? .zero }
        try updated.validateRanges()
        return updated
    }
}
