import KennelControl
import KennelImport
import KennelModel

/// `POST /api/v1/imports/plan`: what importing the files would do.
public struct ImportPlanView: Codable, Sendable, Equatable {
    public let format: String
    /// True when applying would refuse nothing.
    public let clean: Bool
    /// Rows per action (`create`, `update`, `unchanged`, `skip`, `error`).
    public let totals: [String: Int]
    public let rows: [Row]
    public let groups: [Group]
    /// Problems with whole files.
    public let issues: [String]

    /// One source row and what happens to it.
    public struct Row: Codable, Sendable, Equatable {
        public let file: String?
        public let row: Int
        public let sourceName: String
        public let sourceID: String?
        public let action: String
        public let reasons: [String]
        public let notes: [String]
        public let name: String?
        public let ip: String?
        public let mac: String?
        public let idc: String?
        public let zone: String?
        public let pool: String?
        public let cpus: Int?
        public let memory: String?
        public let disk: String?
        public let team: String?
        public let service: String?
        public let owner: String?

        enum CodingKeys: String, CodingKey {
            case file, row, action, reasons, notes, name, ip, mac, idc, zone, pool, cpus, memory, disk, team, service, owner
            case sourceName = "source_name"
            case sourceID = "source_id"
        }

        init(_ row: ImportPlan.Row) {
            file = row.file
            self.row = row.row
            sourceName = row.sourceName
            sourceID = row.sourceID
            action = row.action.rawValue
            reasons = row.reasons
            notes = row.notes
            let request = row.request
            name = request?.name.value
            ip = request?.ip?.description
            mac = request?.mac?.description
            idc = request?.idc.value
            zone = request?.zone?.value
            pool = request?.pool?.value
            cpus = request?.spec.cpus.value
            memory = request?.spec.memory.description
            disk = request?.spec.disk.description
            team = request?.team?.value
            service = request?.service?.value
            owner = request?.owner?.value
        }
    }

    /// New machines of one IDC, zone and service, and whether the hosts can take them.
    public struct Group: Codable, Sendable, Equatable {
        public let idc: String
        public let zone: String?
        public let service: String?
        public let machines: Int
        public let cpus: Int
        public let memory: String
        public let disk: String
        public let freeCPUs: Int
        public let freeMemory: String
        public let freeDisk: String
        public let refusal: String?

        enum CodingKeys: String, CodingKey {
            case idc, zone, service, machines, cpus, memory, disk, refusal
            case freeCPUs = "free_cpus"
            case freeMemory = "free_memory"
            case freeDisk = "free_disk"
        }

        init(_ group: ImportPlan.Group) {
            idc = group.idc.value
            zone = group.zone?.value
            service = group.service?.value
            machines = group.machines
            cpus = group.demand.cpus
            memory = group.demand.memory.description
            disk = group.demand.disk.description
            freeCPUs = group.free.cpus
            freeMemory = group.free.memory.description
            freeDisk = group.free.disk.description
            refusal = group.refusal
        }
    }

    public init(_ plan: ImportPlan) {
        format = plan.format.rawValue
        clean = plan.isClean
        totals = Dictionary(uniqueKeysWithValues: ImportPlan.Action.allCases.map { ($0.rawValue, plan.totals[$0] ?? 0) })
        rows = plan.rows.map(Row.init)
        groups = plan.groups.map(Group.init)
        issues = plan.issues.map(\.description)
    }
}

/// An import's totals, as its operation's result shows them.
public struct ImportSummaryView: Codable, Sendable, Equatable {
    public let recordsOnly: Bool
    /// Rows per result (every result named, 0 included).
    public let totals: [String: Int]
    /// Machines created or updated: a re-run of the same files reports 0.
    public let changes: Int
    /// Where each row's result is (`?format=csv` for a spreadsheet).
    public let rowsURL: String

    enum CodingKeys: String, CodingKey {
        case totals, changes
        case recordsOnly = "records_only"
        case rowsURL = "rows_url"
    }

    public init(_ summary: ImportSummary, operation: Int64) {
        recordsOnly = summary.recordsOnly
        totals = Dictionary(uniqueKeysWithValues: ImportOutcome.Result.allCases.map { ($0.rawValue, summary.totals[$0] ?? 0) })
        changes = summary.changes
        rowsURL = "/api/v1/imports/\(operation)/rows"
    }
}

/// `GET /api/v1/imports/{id}/rows`: each row's result, in file order.
public struct ImportRowList: Codable, Sendable, Equatable {
    public let rows: [ImportOutcome.Row]
    public let count: Int

    public init(_ rows: [ImportOutcome.Row]) {
        self.rows = rows
        count = rows.count
    }

    /// The rows as CSV (RFC 4180, CRLF), a leading `=+-@` quoted away from spreadsheet formulas.
    public var csv: String {
        let header = "file,row,source_name,source_id,machine,result,reason"
        let lines = rows.map { row in
            [row.file, String(row.row), row.sourceName, row.sourceID, row.machine, row.result.rawValue, row.reason]
                .map { CSVField.quoted($0 ?? "", forSpreadsheets: true) }.joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\r\n") + "\r\n"
    }
}
