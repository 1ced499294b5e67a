import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An Excel workbook (`.xlsx`: a ZIP of XML parts) read from its bytes: its sheets by
/// name, each as a `DelimitedTable` of the cell texts (shared and inline strings, numbers
/// as written, booleans as `True`/`False`), so RVTools' workbook reads like its CSV
/// export. Nothing is evaluated; a part that is missing or malformed is an issue.
public struct XLSXWorkbook: Sendable {
    /// Sheet names in workbook order, with the archive path of each.
    public let sheets: [(name: String, path: String)]
    private let archive: ZipEntries
    private let sharedStrings: [String]

    /// Whether `bytes` start like a ZIP archive.
    public static func looksLikeWorkbook(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public init(_ bytes: [UInt8]) throws(ImportIssue) {
        let zip = try ZipEntries(bytes)
        archive = zip
        let workbook = try Self.parse(try Self.read("xl/workbook.xml", in: zip), as: WorkbookParts())
        let relations = try Self.parse(try Self.read("xl/_rels/workbook.xml.rels", in: zip), as: RelationshipParts())
        sheets = workbook.sheets.compactMap { sheet in
            guard let target = relations.targets[sheet.relation] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (sheet.name, path)
        }
        if zip.contains("xl/sharedStrings.xml") {
            sharedStrings = try Self.parse(try Self.read("xl/sharedStrings.xml", in: zip), as: SharedStringParts()).strings
        } else {
            sharedStrings = []
        }
    }

    /// The sheet named `name` (without case), as a table; nil when there is none such.
    public func table(named name: String) throws(ImportIssue) -> DelimitedTable? {
        guard let sheet = sheets.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else { return nil }
        return try table(at: sheet.path, name: sheet.name)
    }

    /// The first sheet, as a table.
    public func firstTable() throws(ImportIssue) -> DelimitedTable? {
        guard let sheet = sheets.first else { return nil }
        return try table(at: sheet.path, name: sheet.name)
    }

    private func table(at path: String, name: String) throws(ImportIssue) -> DelimitedTable {
        let parts = try Self.parse(try Self.read(path, in: archive), as: SheetParts(shared: sharedStrings))
        do {
            return try DelimitedTable(grid: parts.rows)
        } catch {
            var issue = error
            issue.message = "sheet \(name): " + issue.message
            throw issue
        }
    }

    /// The most one part may hold uncompressed: RVTools' vInfo for 10,000 machines is about
    /// 50 MiB; a ZIP that inflates further is a bomb, stopped while it inflates.
    static let maximumPartSize = 256 << 20

    private static func read(_ path: String, in archive: ZipEntries) throws(ImportIssue) -> Data {
        try archive.contents(of: path, limit: maximumPartSize)
    }

    private static func parse<Parts: XMLParts>(_ data: Data, as parts: Parts) throws(ImportIssue) -> Parts {
        let parser = XMLParser(data: data)
        let delegate = PartsDelegate(parts)
        parser.delegate = delegate
        let parsed = parser.parse()
        if let problem = delegate.parts.problem { throw ImportIssue(row: problem.row, problem.message) }
        guard parsed else {
            throw ImportIssue("the workbook's XML does not parse (line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?"))")
        }
        return delegate.parts
    }
}

/// What one XML part of a workbook yields, gathered from parser events.
protocol XMLParts {
    mutating func start(_ element: String, _ attributes: [String: String])
    mutating func end(_ element: String)
    mutating func text(_ string: String)
    /// Set when the part is beyond what a workbook can hold: the parse stops there.
    var problem: (row: Int?, message: String)? { get }
}

extension XMLParts {
    var problem: (row: Int?, message: String)? { nil }
}

final class PartsDelegate<Parts: XMLParts>: NSObject, XMLParserDelegate {
    var parts: Parts

    init(_ parts: Parts) { self.parts = parts }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        parts.start(Self.local(elementName), attributes)
        if parts.problem != nil { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        parts.end(Self.local(elementName))
        if parts.problem != nil { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { parts.text(string) }

    /// `x:sheet` → `sheet`: workbooks may prefix the main namespace.
    static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }
}

/// `xl/workbook.xml`: the sheets' names and relationship ids.
struct WorkbookParts: XMLParts {
    var sheets: [(name: String, relation: String)] = []

    mutating func start(_ element: String, _ attributes: [String: String]) {
        guard element == "sheet", let name = attributes["name"] else { return }
        let relation = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
        sheets.append((name, relation))
    }

    mutating func end(_ element: String) {}
    mutating func text(_ string: String) {}
}

/// `xl/_rels/workbook.xml.rels`: relationship id → part path.
struct RelationshipParts: XMLParts {
    var targets: [String: String] = [:]

    mutating func start(_ element: String, _ attributes: [String: String]) {
        guard element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }

    mutating func end(_ element: String) {}
    mutating func text(_ string: String) {}
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined.
struct SharedStringParts: XMLParts {
    var strings: [String] = []
    private var current: String?
    private var inText = false

    mutating func start(_ element: String, _ attributes: [String: String]) {
        if element == "si" { current = "" }
        if element == "t" { inText = true }
    }

    mutating func end(_ element: String) {
        if element == "t" { inText = false }
        if element == "si" {
            strings.append(current ?? "")
            current = nil
        }
    }

    mutating func text(_ string: String) {
        if inText, current != nil { current? += string }
    }
}

/// A worksheet: its rows (by their `r` number) of cell texts (by column letter). A cell
/// or row past Excel's own limits (column XFD, row 1,048,576) is a problem: a hostile
/// reference must not make the reader allocate for it.
struct SheetParts: XMLParts {
    /// Excel's last column (XFD) and last row.
    static let columns = 16_384
    static let rows = 1_048_576

    let shared: [String]
    var rows: [(row: Int, cells: [String])] = []
    private(set) var problem: (row: Int?, message: String)?
    private var row: Int = 0
    private var cells: [String] = []
    private var column = 0
    private var type = ""
    private var value = ""
    private var collecting = false

    init(shared: [String]) { self.shared = shared }

    mutating func start(_ element: String, _ attributes: [String: String]) {
        switch element {
        case "row":
            let number = attributes["r"].map { Int($0) } ?? row + 1
            guard let number, (1...Self.rows).contains(number) else {
                problem = (nil, "row \(attributes["r"] ?? "after \(row)") is not a row number from 1 to \(Self.rows), Excel's rows")
                return
            }
            row = number
            cells = []
        case "c":
            let index = attributes["r"].map(Self.columnIndex) ?? cells.count
            guard let index, index < Self.columns else {
                problem = (row, "cell \(attributes["r"] ?? "\(cells.count + 1) of its row") is not in a column from A to XFD, Excel's columns")
                return
            }
            column = index
            type = attributes["t"] ?? ""
            value = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    mutating func end(_ element: String) {
        switch element {
        case "v", "t": collecting = false
        case "c":
            if cells.count <= column { cells += Array(repeating: "", count: column - cells.count + 1) }
            cells[column] = text(of: value, type: type)
        case "row": rows.append((row, cells))
        default: break
        }
    }

    mutating func text(_ string: String) {
        if collecting { value += string }
    }

    private func text(of value: String, type: String) -> String {
        switch type {
        case "s": return Int(value.trimmingCharacters(in: .whitespaces)).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
        case "b": return value == "1" ? "True" : "False"
        default: return value
        }
    }

    /// `C7` → 2; `AA1` → 26; nil for a reference with no column letters or more than
    /// three (past XFD whatever they are).
    static func columnIndex(_ reference: String) -> Int? {
        let letters = reference.unicodeScalars.prefix { (65...90).contains($0.value) || (97...122).contains($0.value) }
        guard (1...3).contains(letters.count) else { return nil }
        return letters.reduce(0) { $0 * 26 + Int(($1.value & 0xDF) - 64) } - 1
    }
}
