import ArgumentParser
import Foundation
import KennelControl
import KennelModel
import KennelWire

/// `kennel import apply FILE… [--map FILE]`: the import itself, as operation `import`.
struct ImportApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Import the files: create and update machines (run `kennel import plan` first).",
        discussion: """
            kennel import apply vInfo.csv vNetwork.csv --map Migration/maps/rvtools.yaml
            All or nothing: unless the plan is clean (or --partial is given) nothing is written. New machines keep their
            names, addresses and MACs and are placed by placement; a re-run of the same files changes nothing, and a changed
            row changes only what changed. With --records-only the new machines are written in state `imported` and built by
            `kennel machine start` later. A progress bar shows on a terminal (plain lines otherwise); each row's result is
            written to a CSV file. Exit status 0 when every row was applied, skipped or unchanged; 1 otherwise.
            """)
    @OptionGroup var options: APIOptions
    @Argument(help: "Inventory files: CSV, XLSX or JSON exports (as for `kennel import plan`).")
    var files: [String]
    @Option(help: "The mapping rules (YAML or JSON).") var map: String?
    @Option(help: "Read the files as this format: rvtools, netbox, openstack, generic (default: found from their headers).")
    var format: String?
    @Flag(help: "Import powered-off and suspended VMs too.") var includeOff = false
    @Flag(help: "Apply the valid rows even when others are errors (they are reported, not applied).") var partial = false
    @Flag(help: "Only write the machines (state imported); build them later with `kennel machine start`.") var recordsOnly = false
    @Option(help: "Where to write each row's result as CSV (default: kennel-import-OPERATION.csv).") var results: String?
    @Flag(name: .customLong("no-wait"), help: "Print the accepted operation and return at once.") var noWait = false

    func run() async throws {
        var flags: [String] = []
        if includeOff { flags.append("include_off") }
        if partial { flags.append("partial") }
        if recordsOnly { flags.append("records_only") }
        let parts = try ImportUploadParts.make(files: files, map: map, format: format, flags: flags)
        let client = options.client
        let answer = try await client.send(.POST, "/api/v1/imports", multipart: parts)
        try APIClient.check(answer)
        var operation = try OperationFollower.decoder.decode(OperationView.self, from: answer.body)
        if noWait {
            print(options.json ? String(decoding: answer.body, as: UTF8.self) : "operation \(operation.id) accepted: \(operation.url)")
            return
        }
        var bar = ProgressBar(label: "import \(operation.id)", quiet: options.json)
        var body = answer.body
        while OperationState(rawValue: operation.state)?.isFinal != true {
            if let progress = operation.progress { bar.show(done: progress.done, total: progress.total) }
            let (next, raw) = try await client.decode(OperationView.self, .GET, "/api/v1/operations/\(operation.id)?wait=1s")
            operation = next
            body = raw
        }
        bar.finish()
        guard let summary = operation.result?.imported else {
            throw operation.error?.kennelError ?? KennelError(.conflict, "import \(operation.id) was \(operation.state)")
        }
        let (rows, _) = try await client.decode(ImportRowList.self, .GET, summary.rowsURL)
        let path = results ?? "kennel-import-\(operation.id).csv"
        try Data(rows.csv.utf8).write(to: URL(fileURLWithPath: path))
        if options.json {
            FileHandle.standardOutput.write(body)
            print()
        } else {
            print(ImportOutcomeText.summary(summary, rows: rows.count, results: path))
            for row in rows.rows where row.result == .error || row.result == .failed {
                print("  \(row.file.map { "\($0):" } ?? "")\(row.row) \(row.sourceName): \(row.result): \(row.reason ?? "")")
            }
        }
        if (summary.totals["error"] ?? 0) + (summary.totals["failed"] ?? 0) > 0 { throw ExitCode(1) }
    }
}

/// An import's outcome as a summary line.
enum ImportOutcomeText {
    static func summary(_ summary: ImportSummaryView, rows: Int, results path: String) -> String {
        let totals = ["created", "updated", "unchanged", "skipped", "error", "failed"].map { "\($0) \(summary.totals[$0] ?? 0)" }
        return "\(rows) rows\(summary.recordsOnly ? " (records only)" : ""): \(totals.joined(separator: ", ")); "
            + "\(summary.changes) change\(summary.changes == 1 ? "" : "s"); results in \(path)"
    }
}
