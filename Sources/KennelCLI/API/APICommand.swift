import ArgumentParser
import Foundation
import KennelServer

/// `kennel api`: facts about the HTTP API itself.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "The HTTP API itself.", subcommands: [APISpecCommand.self])
}

/// `kennel api spec [--yaml]`: the OpenAPI 3.1 document this build serves at
/// `/api/v1/openapi.json`.
struct APISpecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec", abstract: "Print the OpenAPI 3.1 document of the API (JSON, or its YAML source).")

    @Flag(help: "Print the YAML source instead of JSON.")
    var yaml = false

    func run() async throws {
        let text = yaml ? try OpenAPIDocument.yaml() : String(decoding: try OpenAPIDocument.json(), as: UTF8.self) + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
