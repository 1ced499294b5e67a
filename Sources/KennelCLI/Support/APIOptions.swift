import ArgumentParser

/// Where the Kennel API is, and how to print its answers.
struct APIOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Base URL of the Kennel API (or KENNEL_API).", valueName: "url"))
    var api: String = APIOptions.defaultAPI

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    static var defaultAPI: String {
        ProcessInfo.processInfo.environment["KENNEL_API"] ?? "http://127.0.0.1:8080"
    }

    var client: APIClient { APIClient(baseURL: api) }
}

import Foundation
