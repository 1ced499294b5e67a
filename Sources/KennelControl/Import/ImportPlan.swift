import KennelImport
import KennelModel

/// What importing files would do, row by row, and whether each group of new machines
/// can be placed. Nothing is written to make it.
public struct ImportPlan: Sendable, Equatable {
    /// What happens to one row.
    public enum Action: String, Sendable, Equatable, CaseIterable, Codable {
        case create, update, unchanged, skip, error
    }

    /// One source row.
    public struct Row: Sendable, Equatable {
        public var file: String?
        public var row: Int
        /// The name as the file writes it.
        public var sourceName: String
        public var sourceID: String?
        public var action: Action
        /// Why it is skipped or an error (each naming row and column), or what changes.
        public var reasons: [String]
        /// What the mapping changed on the way.
        public var notes: [String]
        /// The machine it makes or matches.
        public var request: MachineRequest?
    }

    /// New machines of one IDC, zone and service: whether the hosts there can hold them.
    public struct Group: Sendable, Equatable {
        public var idc: Hostname
        public var zone: Hostname?
        public var service: Label?
        public var machines: Int
        /// What they ask for together.
        public var demand: Resources
        /// What the hosts that may take them have free.
        public var free: Resources
        /// Nil when they fit; else why not (placement's own words or the shortfall).
        public var refusal: String?
    }

    public var format: SourceFormat
    public var rows: [Row]
    public var groups: [Group]
    /// Problems with whole files (a missing column, a file that is not CSV or JSON).
    public var issues: [ImportIssue]

    /// How many rows get each action.
    public var totals: [Action: Int] { rows.reduce(into: [:]) { $0[$1.action, default: 0] += 1 } }

    /// Whether applying it would change nothing and refuse nothing.
    public var isClean: Bool { issues.isEmpty && rows.allSatisfy { $0.action != .error } && groups.allSatisfy { $0.refusal == nil } }
}
