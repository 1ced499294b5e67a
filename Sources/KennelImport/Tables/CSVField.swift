/// Writing one CSV field (RFC 4180): quoted when it holds a separator, a quote or a line
/// break, quotes doubled.
public enum CSVField {
    /// `field` as CSV. `forSpreadsheets` also puts a `'` before a leading `=`, `+`, `-`
    /// or `@`, so a spreadsheet shows the text instead of running it as a formula (for
    /// files people open, not for files Kennel reads back).
    public static func quoted(_ field: String, forSpreadsheets: Bool = false) -> String {
        var text = field
        if forSpreadsheets, let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
