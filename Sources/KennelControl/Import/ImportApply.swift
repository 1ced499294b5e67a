import Foundation
import KennelImport
import KennelModel

/// How an import is applied.
public struct ImportApplyOptions: Sendable, Equatable {
    /// Apply the valid rows and report the others as errors, instead of refusing the
    /// whole run when any row is an error.
    public var partial: Bool
    /// Only write the machines (state `imported`), to be built by a later `start`.
    public var recordsOnly: Bool
    /// How many new machines are built at once.
    public var parallelStarts: Int

    public init(partial: Bool = false, recordsOnly: Bool = false, parallelStarts: Int = 4) {
        self.partial = partial
        self.recordsOnly = recordsOnly
        self.parallelStarts = max(1, parallelStarts)
    }
}

extension ImportService {
    /// What import operations name as their target (they act on many machines).
    public static let operationTarget = Hostname(verified: "import")

    /// Plans the files at once and, unless the plan is clean or `partial` is asked for,
    /// refuses the whole run (409 `conflict` naming the first rows in error); then
    /// applies it as operation `import`: every row written in one transaction (new
    /// machines with their own addresses and MACs, placed by placement, keyed by their
    /// source id; changed rows only where they changed), so that any row the store
    /// refuses refuses the run and nothing is written (with `partial`, that row alone is
    /// an error). Then, unless `recordsOnly`, the new machines are built and started and
    /// changed sizes applied on their hosts. Imports run one at a time.
    public func submitApply(
        _ files: [SourceFile], map: SourceFile? = nil, format: SourceFormat? = nil, includeOff: Bool = false,
        options: ImportApplyOptions = ImportApplyOptions(), by requester: Requester
    ) async throws -> OperationHandle {
        guard let machines else { throw KennelError(.internal, "this service cannot apply imports (no machine service)") }
        try await machines.launcher.tracker.admit()
        let plan = try await plan(files, map: map, format: format, includeOff: includeOff, by: requester)
        if !options.partial, !plan.isClean { throw Self.notClean(plan) }
        let target = Self.operationTarget
        let ticket = await machines.locks.enqueue(target)
        let operation: Int64
        do {
            let now = environment.now()
            let summary = ImportRequestSummary(
                files: files.map(\.name), map: map?.name, format: plan.format.rawValue, partial: options.partial,
                recordsOnly: options.recordsOnly, rows: plan.rows.count)
            operation = try await store.transaction { store in
                let id = try store.beginOperation(
                    .inventoryImport, machine: target, team: nil, requestedBy: requester.user.value, state: .pending, at: now)
                try AuditTrail(requester: requester, at: now, operation: id).record("import.apply", "import", "\(id)", after: summary, in: store)
                return id
            }
        } catch {
            await machines.locks.release(ticket)
            throw error
        }
        let run = ImportRun(
            plan: plan, options: options, operation: operation, requester: requester, store: store, machines: machines,
            environment: environment)
        return await machines.launcher.launch(.inventoryImport, id: operation, machine: target, ticket: ticket) {
            try await run.execute()
            return nil
        }
    }

    /// The refusal of a plan with errors: how many, and the first few in full.
    static func notClean(_ plan: ImportPlan) -> KennelError {
        // Only the first five are written out; the rest are counted (a 100,000-row file
        // of errors is not formatted to show five).
        let errorRows = plan.rows.lazy.filter { $0.action == .error }
        let refusals = plan.groups.lazy.compactMap { group in group.refusal.map { "\(group.idc)\(group.zone.map { "/\($0)" } ?? ""): \($0)" } }
        let rowReasons = errorRows.prefix(5).map { row in
            "\(row.file.map { "\($0) " } ?? "")row \(row.row) (\(row.sourceName)): \(row.reasons.joined(separator: "; "))"
        }
        let reasons = Array((plan.issues.map(\.description) + rowReasons + refusals).prefix(5))
        let count = plan.issues.count + errorRows.count + refusals.count
        let shown = reasons.joined(separator: " | ")
        let more = count > 5 ? " | and \(count - 5) more (kennel import plan shows them all)" : ""
        return KennelError(
            .conflict,
            "the import is not clean, nothing was written: \(shown)\(more); fix the files or the map, or add partial=1 to apply the valid rows",
            field: "file")
    }
}

/// What the audit log keeps of an import request.
struct ImportRequestSummary: Encodable {
    let files: [String]
    let map: String?
    let format: String
    let partial: Bool
    let recordsOnly: Bool
    let rows: Int

    enum CodingKeys: String, CodingKey {
        case files, map, format, partial, rows
        case recordsOnly = "records_only"
    }
}
