import Foundation
import KennelModel

/// Cell values as inventories write them, each read deliberately; nil for an empty cell,
/// a message for one that is not what its column needs.
public enum CellParsers {
    /// A whole number, with thousands separators (`16,384`, `16 384`, `16'384`, `16_384`)
    /// and a `.0` tail allowed (`4.0`, as spreadsheets export counts).
    public static func integer(_ cell: String) throws(CellProblem) -> Int? {
        let text = cell.trimmingASCIIWhitespace()
        guard !text.isEmpty else { return nil }
        var digits = ""
        var sawPoint = false
        for character in text {
            if character.isASCII, character.isNumber {
                if sawPoint {
                    guard character == "0" else { throw CellProblem("\"\(Echo.short(cell))\" is not a whole number") }
                } else {
                    digits.append(character)
                }
            } else if character == "." && !sawPoint {
                sawPoint = true
            } else if [",", " ", "'", "_", "\u{00A0}"].contains(character) && !sawPoint && !digits.isEmpty {
                continue
            } else {
                throw CellProblem("\"\(Echo.short(cell))\" is not a whole number")
            }
        }
        guard let value = Int(digits), digits.count <= 15 else { throw CellProblem("\"\(Echo.short(cell))\" is not a whole number") }
        return value
    }

    /// A number that may have a fraction (`1.5`, `2,048.5`).
    public static func decimal(_ cell: String) throws(CellProblem) -> Double? {
        let text = cell.trimmingASCIIWhitespace().filter { ![",", " ", "'", "_", "\u{00A0}"].contains($0) }
        guard !text.isEmpty else { return nil }
        guard text.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }), let value = Double(text), value.isFinite else {
            throw CellProblem("\"\(Echo.short(cell))\" is not a number")
        }
        return value
    }

    /// `True/False/TRUE/true/yes/no/1/0/on/off`.
    public static func boolean(_ cell: String) throws(CellProblem) -> Bool? {
        switch cell.trimmingASCIIWhitespace().lowercased() {
        case "": return nil
        case "true", "yes", "y", "1", "on": return true
        case "false", "no", "n", "0", "off": return false
        default: throw CellProblem("\"\(Echo.short(cell))\" is not true or false")
        }
    }

    /// The addresses of a cell that may hold several (separated by commas, semicolons,
    /// spaces or line breaks), IPv6 beside IPv4: the IPv4 ones in order, each once, and
    /// what was left aside (IPv6, `unknown`, `N/A`). A token that looks like IPv4 but is
    /// not one is a problem.
    public static func addresses(_ cell: String) throws(CellProblem) -> (ipv4: [IPv4Address], other: [String]) {
        var ipv4: [IPv4Address] = []
        var other: [String] = []
        let tokens = cell.split(whereSeparator: { [",", ";", " ", "\n", "\r", "\t", "|"].contains($0) })
        for token in tokens.map(String.init) {
            let bare = token.split(separator: "/").first.map(String.init) ?? token  // 10.0.0.5/24
            if bare.contains(":") || bare.contains(where: { $0.isLetter }) {
                other.append(token)
                continue
            }
            guard let address = try? IPv4Address(parsing: bare) else { throw CellProblem("\"\(Echo.short(token))\" is not an IPv4 address") }
            if !ipv4.contains(address) { ipv4.append(address) }
        }
        return (ipv4, other)
    }

    /// A date, or nil for none or a placeholder (`1969/12/31`, `1970-01-01`, `0001-01-01`):
    /// exports write those for "never". Answers the `YYYY-MM-DD` part only.
    public static func day(_ cell: String) -> String? {
        let text = cell.trimmingASCIIWhitespace()
        let parts = text.prefix(10).split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        guard year > 1970, (1...12).contains(month), (1...31).contains(day) else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// Why one cell could not be read; the reader adds its row and column.
public struct CellProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
