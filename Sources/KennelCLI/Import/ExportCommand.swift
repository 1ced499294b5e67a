import ArgumentParser
import Foundation

/// `kennel export`: the inventory in a form `kennel import` reads back.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the machines you may see as JSON, CSV or NetBox CSVs (kennel import reads them back).",
        discussion: """
            kennel export --format csv > inventory.csv
            kennel export --format netbox --output netbox/    (writes virtual-machines.csv and ip-addresses.csv there)
            """)
    @OptionGroup var options: APIOptions
    @Option(help: "json, csv or netbox.") var format: String = "json"
    @Option(help: "A file (json, csv) or a directory (netbox); default: standard output (json, csv).") var output: String?

    func validate() throws {
        guard ["json", "csv", "netbox"].contains(format) else { throw ValidationError("--format: json, csv or netbox") }
        if format == "netbox" && output == nil { throw ValidationError("--format netbox writes two files: give --output DIRECTORY") }
    }

    func run() async throws {
        let parts: [(query: String, file: String?)] =
            format == "netbox"
            ? [("netbox-machines", "virtual-machines.csv"), ("netbox-addresses", "ip-addresses.csv")] : [(format, nil)]
        for part in parts {
            let answer = try await options.client.send(.GET, "/api/v1/export?format=\(part.query)")
            try APIClient.check(answer)
            if let output {
                let path = part.file.map { (output as NSString).appendingPathComponent($0) } ?? output
                if part.file != nil { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
                guard FileManager.default.createFile(atPath: path, contents: answer.body) else { throw ValidationError("cannot write \(path)") }
                print("wrote \(path)")
            } else {
                FileHandle.standardOutput.write(answer.body)
            }
        }
    }
}
