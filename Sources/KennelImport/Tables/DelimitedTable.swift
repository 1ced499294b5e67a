/// A delimited text file (CSV) as real exports write it, read leniently but never
/// silently wrong: a UTF-8 byte-order mark is dropped; the separator (`,`, `;` or tab)
/// is the one the header line uses most outside quotes; fields may be quoted, with
/// doubled quotes and line breaks inside; CRLF, LF and CR end records; blank lines are
/// skipped (they still count as spreadsheet rows); trailing empty header columns are
/// dropped, short records padded. A quote left open at the end of the file is an
/// error naming the row it opened on (a truncated file).
///
/// Cells are kept as ranges of one byte buffer and become strings only when read: a
/// 100,000-row RVTools export has nine million cells, of which a reader wants a fifth.
public struct DelimitedTable: Sendable {
    /// One record: its cells, one per header column, and the row a spreadsheet shows.
    public struct Record: Sendable, Equatable {
        public let row: Int
        let storage: Storage
        /// Its first cell in `storage`, and how many cells it has (at most the header's).
        let first: Int
        let count: Int

        /// Cell `index` as written (unquoted), or "" past the record's end.
        public subscript(index: Int) -> String {
            guard index < count else { return "" }
            return String(decoding: storage.cell(first + index), as: UTF8.self)
        }

        /// Cell `index` without leading and trailing spaces, tabs and line breaks.
        public func trimmed(_ index: Int) -> String {
            guard index < count else { return "" }
            let cell = storage.cell(first + index)
            var start = cell.startIndex
            var end = cell.endIndex
            while start < end, Storage.isSpace(cell[start]) { start += 1 }
            while end > start, Storage.isSpace(cell[end - 1]) { end -= 1 }
            return start == end ? "" : String(decoding: cell[start..<end], as: UTF8.self)
        }

        /// Every cell, padded to `width`.
        public func cells(width: Int) -> [String] { (0..<width).map { self[$0] } }

        public static func == (lhs: Record, rhs: Record) -> Bool {
            lhs.row == rhs.row && lhs.cells(width: max(lhs.count, rhs.count)) == rhs.cells(width: max(lhs.count, rhs.count))
        }
    }

    /// Where each cell's unquoted bytes are: most cells are a range of the file's own
    /// bytes (shared, not copied); a cell that reading had to change (a doubled quote,
    /// text after a closing quote) is in `rewritten`, at offsets from `bytes.count` on.
    final class Storage: Sendable {
        let bytes: [UInt8]
        let rewritten: [UInt8]
        let starts: [Int32]
        let ends: [Int32]

        init(bytes: [UInt8], rewritten: [UInt8] = [], starts: [Int32], ends: [Int32]) {
            self.bytes = bytes
            self.rewritten = rewritten
            self.starts = starts
            self.ends = ends
        }

        /// Cell `field`'s bytes.
        func cell(_ field: Int) -> ArraySlice<UInt8> {
            let start = Int(starts[field])
            let end = Int(ends[field])
            guard start >= bytes.count else { return bytes[start..<end] }
            return rewritten[(start - bytes.count)..<(end - bytes.count)]
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    }

    /// The header's column names, trimmed.
    public let header: [String]
    public let records: [Record]
    public let separator: UInt8

    /// The cells of every record, padded to the header's width (for tests and small files).
    public var rows: [[String]] { records.map { $0.cells(width: header.count) } }

    /// Reads `bytes`; throws an issue for a file with no header or a quote never closed,
    /// or one over 1 GiB.
    public init(_ bytes: [UInt8]) throws(ImportIssue) {
        guard bytes.count < Int(Int32.max) / 2 else { throw ImportIssue("the file is larger than 1 GiB") }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let separator = Self.separator(of: bytes, from: start)
        var field = FieldReader(base: bytes.count)
        var starts: [Int32] = []
        var ends: [Int32] = []
        var records: [(row: Int, first: Int, count: Int)] = []
        var recordFirst = 0
        var row = 1
        var recordRow = 1
        var index = start
        var quoted = false
        var wasQuoted = false
        var quoteOpenedOn = 0
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        func endField() {
            let (first, last) = field.finish()
            starts.append(first)
            ends.append(last)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            let count = starts.count - recordFirst
            if count == 1 && starts[recordFirst] == ends[recordFirst] {
                starts.removeLast()
                ends.removeLast()
            } else {
                records.append((recordRow, recordFirst, count))
            }
            recordFirst = starts.count
            row += 1
            recordRow = row
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte != quote {
                    field.append(index, of: bytes)
                } else if index + 1 < bytes.count, bytes[index + 1] == quote {
                    field.append(index, of: bytes)
                    index += 1
                } else {
                    quoted = false
                }
            } else if byte == separator {
                endField()
            } else if byte == newline || byte == carriageReturn {
                if byte == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
                endRecord()
            } else if byte == quote, !wasQuoted, field.isBlank(in: bytes) {
                // A quoted field (spaces before its quote are layout, not data).
                field.clear()
                quoted = true
                wasQuoted = true
                quoteOpenedOn = row
            } else {
                field.append(index, of: bytes)
            }
            index += 1
        }
        if quoted { throw ImportIssue(row: quoteOpenedOn, "a quoted field opened here is never closed (is the file cut short?)") }
        if !field.isEmpty || starts.count > recordFirst { endRecord() }
        try self.init(
            Storage(bytes: bytes, rewritten: field.rewritten, starts: starts, ends: ends), records: records, separator: separator, what: "file")
    }

    /// The cell being read: a range of the file while its bytes follow one another there,
    /// copied into `rewritten` once they stop doing so (a doubled quote dropped one).
    private struct FieldReader {
        let base: Int
        var rewritten: [UInt8] = []
        private var start = 0
        private var end = 0
        private var copied = false

        init(base: Int) { self.base = base }

        var isEmpty: Bool { copied ? rewritten.count == start : start == end }

        /// Whether the cell so far holds only spaces and tabs (or nothing).
        func isBlank(in bytes: [UInt8]) -> Bool {
            let cell = copied ? rewritten[start...] : bytes[start..<end]
            return cell.allSatisfy { $0 == 0x20 || $0 == 0x09 }
        }

        /// Adds the file's byte at `index` to the cell.
        @inline(__always)
        mutating func append(_ index: Int, of bytes: [UInt8]) {
            if end == index, !copied {
                end += 1
            } else if start == end, !copied {
                start = index
                end = index + 1
            } else {
                copy(index, of: bytes)
            }
        }

        private mutating func copy(_ index: Int, of bytes: [UInt8]) {
            if !copied {
                let run = bytes[start..<end]
                start = rewritten.count
                rewritten += run
                copied = true
            }
            rewritten.append(bytes[index])
        }

        /// Forgets what the cell held (the spaces before an opening quote).
        mutating func clear() {
            if copied { rewritten.removeSubrange(start...) }
            copied = false
            start = 0
            end = 0
        }

        /// The finished cell's offsets; the next cell starts empty.
        mutating func finish() -> (Int32, Int32) {
            let offsets = copied ? (Int32(base + start), Int32(base + rewritten.count)) : (Int32(start), Int32(end))
            copied = false
            start = 0
            end = 0
            return offsets
        }
    }

    /// A table of cells already split (a workbook's sheet): the first non-blank row is the
    /// header; blank rows are skipped; rows keep their spreadsheet numbers.
    public init(grid: [(row: Int, cells: [String])]) throws(ImportIssue) {
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        var records: [(row: Int, first: Int, count: Int)] = []
        for (row, cells) in grid where cells.contains(where: { !$0.isEmpty }) {
            let first = starts.count
            for cell in cells {
                starts.append(Int32(bytes.count))
                bytes += cell.utf8
                guard bytes.count < Int(Int32.max) else { throw ImportIssue("the sheet is larger than 2 GiB") }
                ends.append(Int32(bytes.count))
            }
            records.append((row, first, cells.count))
        }
        try self.init(Storage(bytes: bytes, starts: starts, ends: ends), records: records, separator: UInt8(ascii: ","), what: "sheet")
    }

    /// The first record is the header (trailing empty names dropped); the others are cut
    /// to its width.
    private init(_ storage: Storage, records: [(row: Int, first: Int, count: Int)], separator: UInt8, what: String) throws(ImportIssue) {
        guard let first = records.first else { throw ImportIssue("the \(what) is empty: no header line") }
        let headerRecord = Record(row: first.row, storage: storage, first: first.first, count: first.count)
        var header = (0..<first.count).map { headerRecord.trimmed($0) }
        while header.last?.isEmpty == true { header.removeLast() }
        guard !header.isEmpty else { throw ImportIssue(row: first.row, "the header line names no column") }
        self.header = header
        self.separator = separator
        let width = header.count
        self.records = records.dropFirst().map { Record(row: $0.row, storage: storage, first: $0.first, count: min($0.count, width)) }
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
