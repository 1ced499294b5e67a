import Foundation
import ZIPFoundation

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
    private let archive: Data
    private let sharedStrings: [String]

    /// Whether `bytes` start like a ZIP archive.
    public static func looksLikeWorkbook(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public init(_ bytes: [UInt8]) throws(ImportIssue) {
        archive = Data(bytes)
        let zip = try Self.open(archive)
        let workbook = try Self.parse(try Self.read("xl/workbook.xml", in: zip), as: WorkbookParts())
        let relations = try Self.parse(try Self.read("xl/_rels/workbook.xml.rels", in: zip), as: RelationshipParts())
        sheets = workbook.sheets.compactMap { sheet in
            guard let target = relations.targets[sheet.relation] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (sheet.name, path)
        }
        if zip["xl/sharedStrings.xml"] != nil {
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
        let zip = try Self.open(archive)
        let parts = try Self.parse(try Self.read(path, in: zip), as: SheetParts(shared: sharedStrings))
        do {
            return try DelimitedTable(grid: parts.rows)
        } catch {
            var issue = error
            issue.message = "sheet \(name): " + issue.message
            throw issue
        }
    }

    private static func open(_ data: Data) throws(ImportIssue) -> Archive {
        do {
            return try Archive(data: data, accessMode: .read)
        } catch {
            throw ImportIssue("not a readable XLSX workbook (\(error))")
        }
    }

    private static func read(_ path: String, in archive: Archive) throws(ImportIssue) -> Data {
        guard let entry = archive[path] else { throw ImportIssue("the workbook has no \(path)") }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw ImportIssue("the workbook's \(path) cannot be read (\(error))")
        }
        return data
    }

    private static func parse<Parts: XMLParts>(_ data: Data, as parts: Parts) throws(ImportIssue) -> Parts {
        let parser = XMLParser(data: data)
        let delegate = PartsDelegate(parts)
        parser.delegate = delegate
        guard parser.parse() else {
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
}

final class PartsDelegate<Parts: XMLParts>: NSObject, XMLParserDelegate {
    var parts: Parts

    init(_ parts: Parts) { self.parts = parts }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        parts.start(Self.local(elementName), attributes)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        parts.end(Self.local(elementName))
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

/// A worksheet: its rows (by their `r` number) of cell texts (by column letter).
struct SheetParts: XMLParts {
    let shared: [String]
    var rows: [(row: Int, cells: [String])] = []
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
            row = attributes["r"].flatMap { Int($0) } ?? row + 1
            cells = []
        case "c":
            column = attributes["r"].map(Self.columnIndex) ?? cells.count
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

    /// `C7` → 2; `AA1` → 26.
    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) || (97...122).contains(scalar.value) else { break }
            index = index * 26 + Int((scalar.value & 0xDF) - 64)
        }
        return max(0, index - 1)
    }
}
