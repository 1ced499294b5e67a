import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// `/ui/racks`: the hosts of each rack with the capacity used on each and the machines
/// on it (only those the user may see are named).
struct RacksPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct MachineLink {
        let name, href: String
    }
    struct HostCard {
        let name, state, stateClass: String
        let cpuUsed, cpuCapacity: Int
        let memoryUsed, memoryCapacity, diskUsed, diskCapacity: String
        let memoryPercent, diskPercent: UInt64
        let machines: [MachineLink]
        let others: Int?
    }
    struct Rack {
        let id, idc, zone, rack: String
        let hosts: [HostCard]
    }
    struct Model {
        let racks: [Rack]
    }

    func register(on group: RouterGroup<Context>) {
        group.get("racks") { _, context in
            let requester = try context.requester()
            let visible = try await VisibleMachines.of(requester, in: services)
            let hosts = try await services.hosts.list()
            let model = Model(racks: Self.racks(hosts, visible: visible))
            return try pages.render("racks", title: "Racks", page: model, context: context, section: "racks")
        }
    }

    static func racks(_ hosts: [HostDetails], visible: VisibleMachines) -> [Rack] {
        let byRack = Dictionary(grouping: hosts) { $0.host.location }
        return byRack.keys.sorted { "\($0)" < "\($1)" }.enumerated().map { index, location in
            let cards = (byRack[location] ?? []).sorted { $0.host.name.value < $1.host.name.value }.map { details in
                let shown = details.machines.filter(visible.contains).sorted { $0.value < $1.value }
                let capacity = details.host.capacity
                return HostCard(
                    name: details.host.name.value, state: details.host.state.rawValue,
                    stateClass: details.host.state == .active ? "ok" : (details.host.state == .down ? "error" : "warning"),
                    cpuUsed: details.used.cpus, cpuCapacity: max(capacity.cpus, 1), memoryUsed: details.used.memory.description,
                    memoryCapacity: capacity.memory.description, diskUsed: details.used.disk.description, diskCapacity: capacity.disk.description,
                    memoryPercent: percent(details.used.memory.bytes, of: capacity.memory.bytes),
                    diskPercent: percent(details.used.disk.bytes, of: capacity.disk.bytes),
                    machines: shown.map { MachineLink(name: $0.value, href: QueryText.machine($0.value)) },
                    others: details.machines.count > shown.count ? details.machines.count - shown.count : nil)
            }
            return Rack(id: "\(index)", idc: location.idc.value, zone: location.zone.value, rack: location.rack.value, hosts: cards)
        }
    }

    static func percent(_ part: UInt64, of whole: UInt64) -> UInt64 {
        whole == 0 ? 0 : min(100, part * 100 / whole)
    }
}
