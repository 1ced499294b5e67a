import ArgumentParser

/// Where the Kennel API is, and how to print its answers.
struct APIOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Base URL of the Kennel API (or KENNEL_API); host:port means http://host:port.", valueName: "url"))
    var api: String = APIOptions.defaultAPI

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "API token (or KENNEL_TOKEN; else the one `kennel login` stored, else ./kennel-data/admin-token).", valueName: "token"))
    var token: String?

    static var defaultAPI: String {
        ProcessInfo.processInfo.environment["KENNEL_API"] ?? "http://127.0.0.1:8080"
    }

    var client: APIClient {
        let base = (try? Self.baseURL(api)) ?? api
        return APIClient(baseURL: base, token: Credentials().token(for: base, given: token))
    }

    func validate() throws {
        _ = try Self.baseURL(api)
    }

    /// `http://h:8080` as given; `h:8080` or `h` as `http://…`; other schemes, paths with
    /// queries and empty hosts are refused saying what to write.
    static func baseURL(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let url = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw ValidationError("--api: '\(text)' is not an API address; write http://HOST:PORT (e.g. http://127.0.0.1:8080)")
        }
        return url
    }

    /// Sends a request and prints the answer: the API's JSON with `--json`, else `text`.
    func print<Value: Decodable>(
        _ type: Value.Type, _ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil,
        text: (Value) -> String
    ) async throws {
        let (value, body) = try await client.decode(type, method, path, form: form)
        Swift.print(json ? String(decoding: body, as: UTF8.self) : text(value), terminator: "")
    }

    /// Sends a DELETE and prints what was deleted.
    func delete(_ path: String, what: String) async throws {
        try APIClient.check(try await client.send(.DELETE, path))
        Swift.print(json ? #"{"deleted":"\#(what)"}"# : "deleted \(what)")
    }
}

import Foundation
import NIOHTTP1
