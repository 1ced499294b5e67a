import ArgumentParser
import Foundation
import KennelImport
import KennelWire

/// `kennel import`: inventories (RVTools, NetBox, OpenStack, any CSV) into machines.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Turn CMDB and hypervisor inventories into machines (see Migration/README.md).",
        subcommands: [ImportPlanCommand.self, ImportApplyCommand.self])
}

/// `kennel import plan FILE… [--map FILE]`: the dry run.
struct ImportPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what importing the files would do, row by row; nothing is written.",
        discussion: """
            kennel import plan vInfo.csv vNetwork.csv --map Migration/maps/rvtools.yaml
            Each row is create, update, unchanged, skip or error (with reasons naming row and column); each group of new
            machines (IDC, zone, service) says whether the hosts there can take them. Exit status 0 when the plan is clean,
            1 when any row is an error or any group cannot be placed.
            """)
    @OptionGroup var options: APIOptions
    @Argument(help: "Inventory files: CSV or JSON exports (RVTools vInfo and vNetwork, NetBox, OpenStack, or any CSV).")
    var files: [String]
    @Option(help: "The mapping rules (YAML or JSON).") var map: String?
    @Option(help: "Read the files as this format: rvtools, netbox, openstack, generic (default: found from their headers).")
    var format: String?
    @Flag(help: "Import powered-off and suspended VMs too.") var includeOff = false
    @Flag(help: "Print the rows as CSV (for spreadsheets).") var csv = false

    func run() async throws {
        let parts = try ImportUploadParts.make(files: files, map: map, format: format, flags: includeOff ? ["include_off"] : [])
        let answer = try await options.client.send(.POST, "/api/v1/imports/plan", multipart: parts)
        try APIClient.check(answer)
        let plan = try JSONDecoder().decode(ImportPlanView.self, from: answer.body)
        if options.json {
            FileHandle.standardOutput.write(answer.body)
            print()
        } else if csv {
            print(ImportPlanText.csv(plan), terminator: "")
        } else {
            print(ImportPlanText.table(plan), terminator: "")
        }
        if !plan.clean { throw ExitCode(1) }
    }
}

/// The multipart parts of an upload: each file, the map, the format and flags set to 1.
enum ImportUploadParts {
    static func make(files: [String], map: String?, format: String?, flags: [String]) throws -> [MultipartBody.Part] {
        var parts: [MultipartBody.Part] = []
        for path in files + (map.map { [$0] } ?? []) {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            let name = path == map ? "map" : "file"
            parts.append(MultipartBody.Part(name: name, filename: (path as NSString).lastPathComponent, bytes: Array(data)))
        }
        if let format { parts.append(MultipartBody.Part(name: "format", filename: nil, bytes: Array(format.utf8))) }
        for flag in flags { parts.append(MultipartBody.Part(name: flag, filename: nil, bytes: Array("1".utf8))) }
        return parts
    }
}

/// How a plan reads on a terminal and in a spreadsheet.
enum ImportPlanText {
    static func table(_ plan: ImportPlanView) -> String {
        var lines: [String] = []
        let header = ["ROW", "SOURCE NAME", "ACTION", "NAME", "IP", "PLACE", "SIZE", "DETAILS"]
        var rows: [[String]] = [header]
        for row in plan.rows {
            let place = [row.idc, row.zone, row.pool].compactMap { $0 }.joined(separator: "/")
            let size = row.cpus.map { "\($0)c/\(row.memory ?? "?")/\(row.disk ?? "?")" } ?? ""
            let details = (row.reasons + row.notes).joined(separator: "; ")
            rows.append([
                (row.file.map { "\($0):" } ?? "") + "\(row.row)", row.sourceName, row.action, row.name ?? "", row.ip ?? "", place, size, details,
            ])
        }
        let widths = (0..<header.count - 1).map { column in min(40, rows.map { $0[column].count }.max() ?? 0) }
        for row in rows {
            let padded = row.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: max(widths[index], cell.count), withPad: " ", startingAt: 0) : cell
            }
            lines.append(padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        if !plan.groups.isEmpty {
            lines.append("")
            lines.append("new machines by place:")
            for group in plan.groups {
                let place = [group.idc, group.zone].compactMap { $0 }.joined(separator: "/") + (group.service.map { " service \($0)" } ?? "")
                let verdict = group.refusal.map { "REFUSED: \($0)" } ?? "fits"
                lines.append(
                    "  \(place): \(group.machines) machine\(group.machines == 1 ? "" : "s"), \(group.cpus) CPUs \(group.memory) \(group.disk) "
                        + "(free \(group.freeCPUs) CPUs \(group.freeMemory) \(group.freeDisk)): \(verdict)")
            }
        }
        lines += plan.issues.map { "file issue: \($0)" }
        let totals = ["create", "update", "unchanged", "skip", "error"].map { "\($0) \(plan.totals[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("")
        lines.append("\(plan.rows.count) rows (\(plan.format)): \(totals)\(plan.clean ? "; clean" : "; NOT clean")")
        return lines.joined(separator: "\n") + "\n"
    }

    static func csv(_ plan: ImportPlanView) -> String {
        let header = "file,row,source_name,source_id,action,name,ip,mac,idc,zone,pool,cpus,memory,disk,team,service,owner,reasons,notes"
        let lines = plan.rows.map { row in
            [
                row.file, String(row.row), row.sourceName, row.sourceID, row.action, row.name, row.ip, row.mac, row.idc, row.zone, row.pool,
                row.cpus.map(String.init), row.memory, row.disk, row.team, row.service, row.owner, row.reasons.joined(separator: "; "),
                row.notes.joined(separator: "; "),
            ].map { CSVField.quoted($0 ?? "", forSpreadsheets: true) }.joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\r\n") + "\r\n"
    }
}
