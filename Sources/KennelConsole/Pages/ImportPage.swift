import Foundation
import Hummingbird
import KennelControl
import KennelImport
import KennelModel
import KennelServer

/// `/ui/import` (admins): upload → plan (rows in error highlighted, the columns at fault
/// named) → apply (the upload is kept between the two, for the same session's token) →
/// the operation's progress and its per-row results.
struct ImportPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages
    let uploads: ImportUploads

    /// The paths that take a file upload (the middleware reads their form token).
    static let uploadPaths: Set<String> = ["/ui/import/plan"]
    /// The most rows the plan page lists (rows in error first); the rest are counted.
    static let shownRows = 500

    struct Start {
        let formats: [String]
        let error: String?
    }
    struct Total {
        let action: String
        let count: Int
    }
    struct GroupRow {
        let place, service, demand, free: String
        let machines: Int
        let refusal: String?
    }
    struct PlanRow {
        let file, name, action, why: String
        let row: Int
        let isError: Bool
        let columns: [String]
    }
    struct Plan {
        let files, format, shownNote, upload: String
        let totals: [Total]
        let hasIssues: Bool
        let issues: [String]
        let hasGroups: Bool
        let groups: [GroupRow]
        let rows: [PlanRow]
        let clean: Bool
        let canApply: Bool
    }
    struct ResultTotal {
        let result: String
        let count: Int
    }
    struct Summary {
        let changes: Int
        let recordsOnly: Bool
        let totals: [ResultTotal]
        let rowsCSV: String
    }
    struct Run {
        let id: Int64
        let state: String
        let running: Bool
        let step: String?
        let done, total: Int
        let failure: String?
        let summary: Summary?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("import") { _, context in
            try context.requester().principal.requireAdmin("importing inventories")
            return try start(error: nil, context: context)
        }
        group.post("import/plan", use: plan)
        group.post("import/apply", use: apply)
        group.get("import/operations/:id") { _, context in
            let requester = try context.requester()
            guard let id = Int64(try context.parameters.require("id")) else { throw KennelError.notFound("import", "?") }
            let operation = try await services.operations.operation(id: id, by: requester)
            guard operation.kind == .inventoryImport else { throw KennelError.notFound("import", "\(id)") }
            let run = Self.run(operation)
            return try pages.render("import-run", title: "Import \(id)", page: run, context: context, section: "import", refresh: run.running)
        }
    }

    private func start(error: String?, context: Context, status: HTTPResponse.Status = .ok) throws -> Response {
        let model = Start(formats: SourceFormat.allCases.map(\.rawValue), error: error)
        return try pages.render("import", title: "Import", page: model, context: context, section: "import", status: status)
    }

    @Sendable func plan(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        try requester.principal.requireAdmin("importing inventories")
        let upload: ImportUpload
        let plan: ImportPlan
        do {
            upload = try await ImportUpload.read(request, allowing: ["csrf"])
            plan = try await services.imports.plan(upload.files, map: upload.map, format: upload.format, includeOff: upload.includeOff, by: requester)
        } catch let error as KennelError where error.code != .internal && error.code != .forbidden {
            return try start(error: error.message, context: context, status: error.httpStatus)
        }
        let owner = context.consoleSession?.tokenHash ?? ""
        let id = await uploads.keep(upload, owner: owner)
        let model = Self.model(plan, files: upload.files.map(\.name).joined(separator: ", "), upload: id)
        return try pages.render("import-plan", title: "Import plan", page: model, context: context, section: "import")
    }

    @Sendable func apply(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        try requester.principal.requireAdmin("importing inventories")
        let pairs = try await ConsoleForm.pairs(of: request)
        let id = pairs.first { $0.name == "upload" }?.value ?? ""
        guard let upload = await uploads.upload(id, owner: context.consoleSession?.tokenHash ?? "") else {
            return try start(
                error: "That upload is no longer kept (half an hour, a few at a time): send the files again.", context: context, status: .conflict)
        }
        let options = ImportApplyOptions(
            partial: pairs.contains { $0.name == "partial" && $0.value == "1" },
            recordsOnly: pairs.contains { $0.name == "records_only" && $0.value == "1" })
        let handle = try await services.imports.submitApply(
            upload.files, map: upload.map, format: upload.format, includeOff: upload.includeOff, options: options, by: requester)
        await uploads.drop(id)
        return ConsoleAnswers.redirect("/ui/import/operations/\(handle.id)")
    }

    static func model(_ plan: ImportPlan, files: String, upload: String) -> Plan {
        let totals = ImportPlan.Action.allCases.compactMap { action in plan.totals[action].map { Total(action: action.rawValue, count: $0) } }
        let ordered = plan.rows.filter { $0.action == .error } + plan.rows.filter { $0.action != .error }
        let rows = ordered.prefix(shownRows).map { row in
            PlanRow(
                file: row.file ?? "", name: row.sourceName, action: row.action.rawValue, why: (row.reasons + row.notes).joined(separator: "; "),
                row: row.row, isError: row.action == .error, columns: columns(in: row.reasons))
        }
        let groups = plan.groups.map { group in
            GroupRow(
                place: group.idc.value + (group.zone.map { " / \($0.value)" } ?? ""), service: group.service?.value ?? "—",
                demand: "\(group.demand.cpus) CPUs, \(group.demand.memory), \(group.demand.disk)",
                free: "\(group.free.cpus) CPUs, \(group.free.memory), \(group.free.disk)", machines: group.machines, refusal: group.refusal)
        }
        let errors = plan.totals[.error] ?? 0
        return Plan(
            files: files, format: plan.format.rawValue,
            shownNote: plan.rows.count > shownRows
                ? "Showing \(shownRows) of \(plan.rows.count) rows, those in error first." : "\(plan.rows.count) rows.",
            upload: upload, totals: totals, hasIssues: !plan.issues.isEmpty, issues: plan.issues.map(\.description), hasGroups: !groups.isEmpty,
            groups: groups, rows: Array(rows), clean: plan.isClean,
            canApply: plan.issues.isEmpty && (plan.isClean || errors < plan.rows.count)
                && plan.totals.keys.contains { $0 == .create || $0 == .update })
    }

    /// The source columns a row's reasons name (`column "Memory"`), in order, once each.
    static func columns(in reasons: [String]) -> [String] {
        var found: [String] = []
        for reason in reasons {
            var rest = Substring(reason)
            while let start = rest.range(of: "column \"") {
                let after = rest[start.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                let name = String(after[..<end])
                if !found.contains(name) { found.append(name) }
                rest = after[after.index(after: end)...]
            }
        }
        return found
    }

    static func run(_ operation: OperationRecord) -> Run {
        let summary = operation.result?.imported.map { summary in
            Summary(
                changes: summary.changes, recordsOnly: summary.recordsOnly,
                totals: ImportOutcome.Result.allCases.compactMap { result in
                    summary.totals[result].map { ResultTotal(result: result.rawValue, count: $0) }
                },
                rowsCSV: "/api/v1/imports/\(operation.id)/rows?format=csv")
        }
        let progress = operation.progress
        return Run(
            id: operation.id, state: operation.state.rawValue, running: !operation.state.isFinal, step: operation.currentStep,
            done: progress?.done ?? operation.stepsDone, total: max(progress?.total ?? operation.totalSteps, 1), failure: operation.failure?.message,
            summary: summary)
    }
}
