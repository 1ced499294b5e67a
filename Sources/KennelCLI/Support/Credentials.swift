import Foundation

/// Where the CLI finds its API token, first match wins: `--token`, `KENNEL_TOKEN`, the
/// token `kennel login` stored for this API (`~/.config/kennel/tokens.json`, 0600), then
/// `kennel-data/admin-token` in the current folder (what `kennel serve --demo` writes
/// on its first start), so the demo works without a login.
struct Credentials {
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var currentDirectory = FileManager.default.currentDirectoryPath

    /// The token for `api`, or nil when none is known.
    func token(for api: String, given: String?) -> String? {
        if let given, !given.isEmpty { return given }
        if let fromEnvironment = environment["KENNEL_TOKEN"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let stored = (try? storedTokens())?[api] { return stored }
        let demo = URL(fileURLWithPath: currentDirectory).appendingPathComponent("kennel-data/admin-token")
        return (try? String(contentsOf: demo, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `$XDG_CONFIG_HOME/kennel/tokens.json`, else `~/.config/kennel/tokens.json`.
    var tokensFile: URL {
        let base =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("kennel/tokens.json")
    }

    /// The stored tokens by API URL.
    func storedTokens() throws -> [String: String] {
        guard let data = try? Data(contentsOf: tokensFile) else { return [:] }
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    /// Stores (or with nil removes) the token for `api`: the folder 0700, the file 0600,
    /// written whole and renamed into place.
    func store(_ token: String?, for api: String) throws {
        var tokens = try storedTokens()
        tokens[api] = token
        let folder = tokensFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let partial = folder.appendingPathComponent(".tokens.json.partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: try encoder.encode(tokens), attributes: [.posixPermissions: 0o600])
        else { throw CredentialsError(message: "cannot write \(partial.path)") }
        _ = try FileManager.default.replaceItemAt(tokensFile, withItemAt: partial)
    }
}

struct CredentialsError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
