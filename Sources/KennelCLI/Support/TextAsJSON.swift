import Foundation

/// A read whose answer is a text file (authorized_keys, known_hosts): with `--json` it
/// prints `{"KEY": ["line", …]}` instead, so that every read prints JSON with `--json`.
enum TextAsJSON {
    /// Prints `text`, or its lines under `key` as JSON when `json` is set.
    static func print(_ text: String, key: String, json: Bool) throws {
        guard json else { return Swift.print(text, terminator: "") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode([key: lines]), as: UTF8.self))
    }
}
