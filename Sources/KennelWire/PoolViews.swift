import Foundation
import KennelControl
import KennelModel

/// A pool and its usage as the API shows it. The CLI decodes the same type.
public struct PoolView: Codable, Sendable, Equatable {
    public let name: String
    public let cidr: String
    public let gateway: String
    public let vlan: Int
    public let idc: String
    public let zones: [String]
    public let ranges: [String]
    public let exclude: [String]
    public let dns: [String]
    public let searchDomain: String?
    public let quarantine: String
    /// Addresses the pool can hand out in all.
    public let size: UInt64
    /// Addresses held by machines.
    public let used: UInt64
    /// Addresses resting after release.
    public let quarantined: UInt64
    /// Addresses that can be handed out now.
    public let free: UInt64
    /// Why the pool may not work as it stands (no host trunks its VLAN…); absent when none.
    public let warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case name, cidr, gateway, vlan, idc, zones, ranges, exclude, dns, quarantine, size, used, quarantined, free, warnings
        case searchDomain = "search_domain"
    }

    /// The view of a pool with its usage.
    public init(_ details: PoolDetails) {
        let pool = details.pool
        name = pool.name.value
        cidr = pool.cidr.description
        gateway = pool.gateway.description
        vlan = pool.vlan.value
        idc = pool.idc.value
        zones = pool.zones.map(\.value)
        ranges = pool.effectiveRanges.map { AddressRangeText.render($0) }
        exclude = pool.exclusions.map(\.description)
        dns = pool.dns.map(\.description)
        searchDomain = pool.searchDomain?.value
        quarantine = pool.quarantine.description
        size = details.usage.size
        used = details.usage.used
        quarantined = details.usage.quarantined
        free = details.usage.free
        warnings = details.warnings.isEmpty ? nil : details.warnings
    }
}

/// One lease as the API shows it.
public struct LeaseView: Codable, Sendable, Equatable {
    public let address: String
    public let mac: String
    public let machine: String
    public let state: String
    public let releasedAt: Date?
    public let quarantinedUntil: Date?

    enum CodingKeys: String, CodingKey {
        case address, mac, machine, state
        case releasedAt = "released_at"
        case quarantinedUntil = "quarantined_until"
    }

    /// The view of a lease.
    public init(_ lease: Lease) {
        address = lease.address.description
        mac = lease.mac.description
        machine = lease.machine.value
        state = lease.state.rawValue
        releasedAt = lease.releasedAt
        quarantinedUntil = lease.quarantinedUntil
    }
}

/// Lists as the API returns them.
public struct PoolList: Codable, Sendable {
    public let pools: [PoolView]
    public let count: Int

    /// A list of `pools`.
    public init(pools: [PoolView], count: Int) {
        self.pools = pools
        self.count = count
    }
}

/// A pool's leases as the API returns them.
public struct LeaseList: Codable, Sendable {
    public let pool: String
    public let leases: [LeaseView]
    public let count: Int

    /// The leases of `pool`.
    public init(pool: String, leases: [LeaseView], count: Int) {
        self.pool = pool
        self.leases = leases
        self.count = count
    }
}

enum AddressRangeText {
    static func render(_ range: ClosedRange<UInt32>) -> String {
        "\(IPv4Address(range.lowerBound))-\(IPv4Address(range.upperBound))"
    }
}
