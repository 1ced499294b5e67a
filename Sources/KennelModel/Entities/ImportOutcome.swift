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
