/// What applying an import did, row by row: the result of operation `import`.
public struct ImportOutcome: Sendable, Equatable, Codable {
    /// What became of one source row.
    public enum Result: String, Sendable, Equatable, Codable, CaseIterable {
        /// A new machine: in the inventory (state `imported` with records only), and built
        /// and started otherwise.
        case created
        /// An existing machine of the same source id, its changed fields written.
        case updated
        /// An existing machine of the same source id, nothing to change.
        case unchanged
        /// Skipped by the map's rules (templates, powered off, names).
        case skipped
        /// Not applied: the reason says why (with `partial`; without it, any error
        /// refuses the whole file).
        case error
        /// Written, but its host work failed: the reason says which (the machine stays,
        /// `failed`, to be started again or deleted).
        case failed
    }

    /// One source row.
    public struct Row: Sendable, Equatable, Codable {
        public var file: String?
        public var row: Int
        public var sourceName: String
        public var sourceID: String?
        /// The machine it made or matched.
        public var machine: String?
        public var result: Result
        /// What changed, or why it was skipped, refused or failed.
        public var reason: String?

        public init(
            file: String?, row: Int, sourceName: String, sourceID: String?, machine: String?, result: Result, reason: String? = nil
        ) {
            self.file = file
            self.row = row
            self.sourceName = sourceName
            self.sourceID = sourceID
            self.machine = machine
            self.result = result
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case file, row, machine, result, reason
            case sourceName = "source_name"
            case sourceID = "source_id"
        }
    }

    public var rows: [Row]
    /// Whether the new machines were only written (state `imported`), not built.
    public var recordsOnly: Bool

    public init(rows: [Row], recordsOnly: Bool) {
        self.rows = rows
        self.recordsOnly = recordsOnly
    }

    /// How many rows ended each way.
    public var totals: [Result: Int] { rows.reduce(into: [:]) { $0[$1.result, default: 0] += 1 } }

    /// Machines created or updated: what a re-run of the same files must bring to 0.
    public var changes: Int { rows.filter { $0.result == .created || $0.result == .updated }.count }

    enum CodingKeys: String, CodingKey {
        case rows
        case recordsOnly = "records_only"
    }
}

/// An import's totals, the result of operation `import`; its rows are read apart
/// (`GET /api/v1/imports/{id}/rows`), since an estate's import has 100,000 of them.
public struct ImportSummary: Sendable, Equatable, Codable {
    public var recordsOnly: Bool
    /// Rows per result.
    public var totals: [ImportOutcome.Result: Int]

    public init(recordsOnly: Bool, totals: [ImportOutcome.Result: Int] = [:]) {
        self.recordsOnly = recordsOnly
        self.totals = totals
    }

    /// Machines created or updated: what a re-run of the same files must bring to 0.
    public var changes: Int { (totals[.created] ?? 0) + (totals[.updated] ?? 0) }

    /// How many rows it read.
    public var rows: Int { totals.values.reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case recordsOnly = "records_only"
        case totals
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        recordsOnly = try container.decode(Bool.self, forKey: .recordsOnly)
        let named = try container.decode([String: Int].self, forKey: .totals)
        totals = [:]
        for (name, count) in named { if let result = ImportOutcome.Result(rawValue: name) { totals[result] = count } }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordsOnly, forKey: .recordsOnly)
        try container.encode(Dictionary(uniqueKeysWithValues: totals.map { ($0.key.rawValue, $0.value) }), forKey: .totals)
    }
}
