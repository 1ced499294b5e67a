import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// `/ui/machines`: every machine the user may see, searched, filtered, sorted and paged
/// on the server (10,000 machines are one read and a sort).
struct MachineListPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Model {
        struct Filter {
            let name: String
            let label: String
            let options: [Choice]
        }
        struct Choice {
            let value: String
            let selected: Bool
        }
        struct Column {
            let label: String
            let href: String
            let ariaSort: String?
            let arrow: String?
        }
        struct Row {
            let name, href, state, ip, host, idc, zone, rack, service, team, memory, disk: String
            let cpus: Int
        }
        let search: String
        let filters: [Filter]
        let pageSizes: [Choice]
        let sort: String
        let dir: String
        let columns: [Column]
        let rows: [Row]
        let matching: Int
        let total: Int
        let page: Int
        let pages: Int
        let first, previous, next, last: String?
        let error: String?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("machines", use: show)
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        let machines = try await services.machines.list(by: try context.requester())
        var query = MachineListQuery()
        var problem: String?
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
        do {
            query = try MachineListQuery(query: parameters)
        } catch {
            problem = error.message
        }
        let model = Self.model(query, machines: machines, error: problem)
        // Only a machine name is echoed: a link cannot put its own sentence on the page.
        let deleting = parameters["deleting"].flatMap { try? Hostname(parsing: $0) }.map { "\($0.value) is being deleted." }
        return try pages.render("machines", title: "Machines", page: model, context: context, section: "machines", notice: deleting)
    }

    static let columns: [(MachineListQuery.SortKey, String)] = [
        (.name, "Name"), (.state, "State"), (.ip, "IP"), (.host, "Host"), (.idc, "IDC"), (.zone, "Zone"), (.rack, "Rack"),
        (.service, "Service"), (.team, "Team"), (.cpus, "CPUs"), (.memory, "Memory"), (.disk, "Disk"),
    ]

    static func model(_ query: MachineListQuery, machines: [Machine], error: String?) -> Model {
        let result = query.apply(to: machines)
        let filters = MachineListQuery.filterNames.map { name in
            let values = Set(machines.compactMap { MachineListQuery.value(of: name, in: $0) }).union(query.filters[name].map { [$0] } ?? [])
            return Model.Filter(
                name: name, label: name == "idc" ? "IDC" : name.prefix(1).uppercased() + name.dropFirst(),
                options: values.sorted().map { Model.Choice(value: $0, selected: $0 == query.filters[name]) })
        }
        let columns = Self.columns.map { key, label in
            let current = query.sort == key
            let dir: String? = current && !query.descending ? "desc" : nil
            return Model.Column(
                label: label, href: QueryText.link("/ui/machines", query.items(changing: ["sort": key.rawValue, "dir": dir, "page": nil])),
                ariaSort: current ? (query.descending ? "descending" : "ascending") : nil, arrow: current ? (query.descending ? "▼" : "▲") : nil)
        }
        let rows = result.rows.map { machine in
            Model.Row(
                name: machine.name.value, href: QueryText.machine(machine.name.value), state: machine.state.rawValue,
                ip: machine.network.ip.description, host: machine.host.value, idc: machine.location.idc.value, zone: machine.location.zone.value,
                rack: machine.location.rack.value, service: machine.service?.value ?? "", team: machine.team?.value ?? "",
                memory: machine.spec.memory.description, disk: machine.spec.disk.description, cpus: machine.spec.cpus.value)
        }
        func link(_ page: Int) -> String { QueryText.link("/ui/machines", query.items(changing: ["page": page == 1 ? nil : String(page)])) }
        return Model(
            search: query.search, filters: filters,
            pageSizes: MachineListQuery.pageSizes.map { Model.Choice(value: String($0), selected: $0 == query.pageSize) },
            sort: query.sort.rawValue, dir: query.descending ? "desc" : "asc", columns: columns, rows: rows, matching: result.matching,
            total: machines.count, page: result.page, pages: result.pages, first: result.page > 2 ? link(1) : nil,
            previous: result.page > 1 ? link(result.page - 1) : nil, next: result.page < result.pages ? link(result.page + 1) : nil,
            last: result.page < result.pages - 1 ? link(result.pages) : nil, error: error)
    }
}
