/// A delimited text file (CSV) as real exports write it, read leniently but never
/// silently wrong: a UTF-8 byte-order mark is dropped; the separator (`,`, `;` or tab)
/// is the one the header line uses most outside quotes; fields may be quoted, with
/// doubled quotes and line breaks inside; CRLF, LF and CR end records; blank lines are
/// skipped (they still count as spreadsheet rows); trailing empty header columns are
/// dropped, short records padded. A quote left open at the end of the file is an
/// error naming the row it opened on (a truncated file).
public struct DelimitedTable: Sendable {
    /// One record: its cells, one per header column, and the row a spreadsheet shows.
    public struct Record: Sendable, Equatable {
        public let row: Int
        public let cells: [String]
    }

    /// The header's column names, trimmed.
    public let header: [String]
    public let records: [Record]
    public let separator: UInt8

    /// Reads `bytes`; throws an issue for a file with no header or a quote never closed.
    public init(_ bytes: [UInt8]) throws(ImportIssue) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let separator = Self.separator(of: bytes, from: start)
        var rows: [(row: Int, cells: [String])] = []
        var cells: [String] = []
        var field: [UInt8] = []
        var row = 1
        var recordRow = 1
        var index = start
        var quoted = false
        var wasQuoted = false
        var quoteOpenedOn = 0
        let quote = UInt8(ascii: "\"")
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        func endField() {
            cells.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(cells.count == 1 && cells[0].isEmpty) { rows.append((recordRow, cells)) }
            cells.removeAll(keepingCapacity: true)
            row += 1
            recordRow = row
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte != quote {
                    field.append(byte)
                } else if index + 1 < bytes.count, bytes[index + 1] == quote {
                    field.append(quote)
                    index += 1
                } else {
                    quoted = false
                }
            } else if byte == separator {
                endField()
            } else if byte == newline || byte == carriageReturn {
                if byte == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
                endRecord()
            } else if byte == quote, !wasQuoted, field.allSatisfy({ $0 == space || $0 == tab }) {
                // A quoted field (spaces before its quote are layout, not data).
                field.removeAll(keepingCapacity: true)
                quoted = true
                wasQuoted = true
                quoteOpenedOn = row
            } else {
                field.append(byte)
            }
            index += 1
        }
        if quoted { throw ImportIssue(row: quoteOpenedOn, "a quoted field opened here is never closed (is the file cut short?)") }
        if !field.isEmpty || !cells.isEmpty { endRecord() }
        guard let first = rows.first else { throw ImportIssue("the file is empty: no header line") }
        var header = first.cells.map { $0.trimmingASCIIWhitespace() }
        while header.last?.isEmpty == true { header.removeLast() }
        guard !header.isEmpty else { throw ImportIssue(row: first.row, "the header line names no column") }
        self.header = header
        self.separator = separator
        let width = header.count
        self.records = rows.dropFirst().map { row in
            var cells = Array(row.cells.prefix(width))
            if cells.count < width { cells += Array(repeating: "", count: width - cells.count) }
            return Record(row: row.row, cells: cells)
        }
    }

    /// The separator the first line uses most outside quotes: `,`, `;` or tab (`,` on a tie).
    static func separator(of bytes: [UInt8], from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        for byte in bytes[start...] {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            if counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        let comma = counts[UInt8(ascii: ","), default: 0]
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != UInt8(ascii: ",")) }
        guard let best, best.value > comma else { return UInt8(ascii: ",") }
        return best.key
    }

    /// The index of the column named `name` (compared as `HeaderKey` does), if any.
    public func column(_ name: String) -> Int? {
        let key = HeaderKey(name)
        return header.firstIndex { HeaderKey($0) == key }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
