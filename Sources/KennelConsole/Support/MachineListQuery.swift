import KennelModel

/// What the machines page shows: a search, exact filters, a sort and a page, read from
/// the page's query. Pure: `apply` filters, sorts and cuts a list of machines.
struct MachineListQuery: Equatable, Sendable {
    /// The columns a list can be sorted by.
    enum SortKey: String, CaseIterable, Sendable {
        case name, ip, state, host, idc, zone, rack, service, team, cpus, memory, disk, created
    }

    /// Free text matched against name, IP, MAC, owner and service (case-insensitive).
    var search = ""
    /// Exact filters by field name: `idc`, `zone`, `rack`, `service`, `team`, `state`, `host`.
    var filters: [String: String] = [:]
    var sort = SortKey.name
    var descending = false
    /// 1-based.
    var page = 1
    var pageSize = 50

    /// The filter fields, in the order the page shows them.
    static let filterNames = ["idc", "zone", "rack", "service", "team", "state", "host"]
    /// The page sizes offered.
    static let pageSizes = [25, 50, 100, 200]

    init() {}

    /// Reads `q`, the filters, `sort`, `dir`, `page` and `per`; empty values are absent.
    /// A value that cannot be meant is refused naming its field.
    init(query: [String: String]) throws(KennelError) {
        search = query["q", default: ""].trimmingCharacters(in: .whitespaces)
        for name in Self.filterNames {
            if let value = query[name], !value.isEmpty { filters[name] = value }
        }
        if let text = query["sort"], !text.isEmpty {
            guard let key = SortKey(rawValue: text) else {
                throw KennelError.invalid(
                    "sort", "'\(Echo.short(text))' is not a column; one of \(SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sort = key
        }
        switch query["dir"] ?? "" {
        case "", "asc": descending = false
        case "desc": descending = true
        case let other: throw KennelError.invalid("dir", "'\(Echo.short(other))' is neither asc nor desc")
        }
        if let text = query["page"], !text.isEmpty {
            guard let number = Int(text), number >= 1 else { throw KennelError.invalid("page", "'\(Echo.short(text))' is not a page number") }
            page = number
        }
        if let text = query["per"], !text.isEmpty {
            guard let size = Int(text), Self.pageSizes.contains(size) else {
                throw KennelError.invalid("per", "'\(Echo.short(text))' is not one of \(Self.pageSizes.map(String.init).joined(separator: ", "))")
            }
            pageSize = size
        }
    }

    /// One page of the machines that match, and how many match in all.
    struct Result {
        let rows: [Machine]
        let matching: Int
        let page: Int
        let pages: Int
    }

    /// Filters, sorts (by name within equal keys) and cuts `machines`; a page past the
    /// end shows the last one.
    func apply(to machines: [Machine]) -> Result {
        let needle = search.lowercased()
        let matching = machines.filter { machine in
            for (name, value) in filters where Self.value(of: name, in: machine) != value { return false }
            guard !needle.isEmpty else { return true }
            return [
                machine.name.value, machine.network.ip.description, machine.network.mac.description, machine.owner?.value ?? "",
                machine.service?.value ?? "",
            ]
            .contains { $0.lowercased().contains(needle) }
        }
        // Sorts positions by keys read once: a machine is a large value to copy into
        // every one of the sort's comparisons.
        let keys = matching.map { Self.key($0, by: sort) }
        let names = matching.map(\.name.value)
        let order = matching.indices.sorted { left, right in
            if keys[left] != keys[right] { return descending ? keys[left] > keys[right] : keys[left] < keys[right] }
            return names[left] < names[right]
        }
        let pages = max(1, (order.count + pageSize - 1) / pageSize)
        let shown = min(page, pages)
        let start = (shown - 1) * pageSize
        let rows = order[start..<min(start + pageSize, order.count)].map { matching[$0] }
        return Result(rows: rows, matching: order.count, page: shown, pages: pages)
    }

    /// The query's items with `changes` applied (nil removes one): links to other pages
    /// and sorts keep the rest of the query.
    func items(changing changes: [String: String?] = [:]) -> [(String, String)] {
        var items: [String: String] = filters
        if !search.isEmpty { items["q"] = search }
        if sort != .name { items["sort"] = sort.rawValue }
        if descending { items["dir"] = "desc" }
        if page != 1 { items["page"] = String(page) }
        if pageSize != 50 { items["per"] = String(pageSize) }
        for (name, value) in changes { items[name] = value }
        return items.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The text of a filter field of `machine`.
    static func value(of field: String, in machine: Machine) -> String? {
        switch field {
        case "idc": machine.location.idc.value
        case "zone": machine.location.zone.value
        case "rack": machine.location.rack.value
        case "service": machine.service?.value
        case "team": machine.team?.value
        case "state": machine.state.rawValue
        case "host": machine.host.value
        default: nil
        }
    }

    /// A sort key: a number or a text, compared as such.
    enum SortValue: Comparable {
        case number(UInt64)
        case text(String)
    }

    private static func key(_ machine: Machine, by key: SortKey) -> SortValue {
        switch key {
        case .name: .text(machine.name.value)
        case .ip: .number(UInt64(machine.network.ip.value))
        case .state: .text(machine.state.rawValue)
        case .host: .text(machine.host.value)
        case .idc: .text(machine.location.idc.value)
        case .zone: .text(machine.location.zone.value)
        case .rack: .text(machine.location.rack.value)
        case .service: .text(machine.service?.value ?? "")
        case .team: .text(machine.team?.value ?? "")
        case .cpus: .number(UInt64(max(machine.spec.cpus.value, 0)))
        case .memory: .number(machine.spec.memory.bytes)
        case .disk: .number(machine.spec.disk.bytes)
        case .created: .number(UInt64(max(machine.createdAt.timeIntervalSince1970 * 1000, 0)))
        }
    }
}
