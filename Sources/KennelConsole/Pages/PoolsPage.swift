import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// `/ui/pools` (every pool with a usage meter) and `/ui/pools/{name}` (its leases; the
/// names of machines the user may not see are left out and counted).
struct PoolsPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct PoolRow {
        let name, href, idc, zones, cidr, gateway: String
        let vlan: Int
        let percent: UInt64
        let size, used, quarantined, free: UInt64
        let warnings: [String]
    }
    struct LeaseRow {
        let address, mac, machine, state, until: String
        let href: String?
    }
    struct List {
        let pools: [PoolRow]
    }
    struct Detail {
        let name, cidr: String
        let vlan: Int
        let percent, size, used, quarantined, free: UInt64
        let leases: [LeaseRow]
        let hidden: Int?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("pools") { _, context in
            _ = try context.requester()
            let pools = try await services.pools.list().map(Self.row)
            return try pages.render("pools", title: "Pools", page: List(pools: pools), context: context, section: "pools")
        }
        group.get("pools/:name") { _, context in
            let name = try context.pathName(of: "pool")
            let details = try await services.pools.details(named: name)
            let visible = try await VisibleMachines.of(try context.requester(), in: services)
            let leases = try await services.pools.leases(named: name)
            let shown = leases.filter { visible.contains($0.machine) }
            let row = Self.row(details)
            let detail = Detail(
                name: row.name, cidr: row.cidr, vlan: row.vlan, percent: row.percent, size: row.size, used: row.used, quarantined: row.quarantined,
                free: row.free,
                leases: shown.map { lease in
                    LeaseRow(
                        address: lease.address.description, mac: lease.mac.description, machine: lease.machine.value, state: lease.state.rawValue,
                        until: lease.quarantinedUntil.map(MachinePage.timestamp) ?? "",
                        href: visible.contains(lease.machine) && lease.state == .active
                            ? QueryText.machine(lease.machine.value) : nil)
                }, hidden: leases.count > shown.count ? leases.count - shown.count : nil)
            return try pages.render("pool", title: "Pool \(name.value)", page: detail, context: context, section: "pools")
        }
    }

    static func row(_ details: PoolDetails) -> PoolRow {
        let usage = details.usage
        let pool = details.pool
        return PoolRow(
            name: pool.name.value, href: "/ui/pools/" + QueryText.segment(pool.name.value), idc: pool.idc.value,
            zones: pool.zones.isEmpty ? "all" : pool.zones.map(\.value).joined(separator: ", "), cidr: pool.cidr.description,
            gateway: pool.gateway.description, vlan: pool.vlan.value,
            percent: usage.size == 0 ? 0 : (usage.used + usage.quarantined) * 100 / usage.size,
            size: usage.size, used: usage.used, quarantined: usage.quarantined, free: usage.free, warnings: details.warnings)
    }
}
