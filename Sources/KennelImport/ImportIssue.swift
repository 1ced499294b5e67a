/// Something wrong with an input file, named by where it is: the row a spreadsheet shows
/// (the header is row 1) and the column's header, when known.
public struct ImportIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file it is in, when the caller named it.
    public var file: String?
    /// The spreadsheet row (header = 1), or the position in a JSON list (first = 1).
    public var row: Int?
    /// The column header (or JSON field) it is in.
    public var column: String?
    public var message: String

    public init(file: String? = nil, row: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    /// `file row 17 column "Memory": "lots" is not a size`.
    public var description: String {
        let place = [file, row.map { "row \($0)" }, column.map { "column \"\($0)\"" }].compactMap { $0 }.joined(separator: " ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
