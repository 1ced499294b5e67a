import Foundation
import KennelImport
import Testing
import ZIPFoundation

/// Workbooks built to hurt the reader: each is an issue, never a crash or a runaway allocation.
@Suite("Hostile XLSX workbooks: absurd cell references, zip bombs, entity expansion")
struct HostileWorkbookTests {
    /// A minimal workbook of one sheet whose XML is `sheet`, with optional shared strings.
    static func workbook(sheet: String, sharedStrings: Data? = nil, method: CompressionMethod = .deflate) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ data: Data) throws {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) { position, size in
                data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
            }
        }
        try add(
            "xl/workbook.xml",
            Data(
                #"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="cmdb" r:id="rId1"/></sheets></workbook>"#
                    .utf8))
        try add("xl/_rels/workbook.xml.rels", Data(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8))
        try add("xl/worksheets/sheet1.xml", Data(sheet.utf8))
        if let sharedStrings { try add("xl/sharedStrings.xml", sharedStrings) }
        return Array(try #require(archive.data))
    }

    static func sheet(_ rows: String) -> String { "<worksheet><sheetData>\(rows)</sheetData></worksheet>" }

    static let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>ip</t></is></c></row>"#

    static func read(_ bytes: [UInt8]) -> SourceRead {
        InventoryReader.read([SourceFile(name: "hostile.xlsx", bytes: bytes)]).read
    }

    @Test("a well-formed workbook reads (the builder itself is sound)")
    func wellFormed() throws {
        let read = Self.read(
            try Self.workbook(
                sheet: Self.sheet(
                    Self.header
                        + #"<row r="2"><c r="A2" t="inlineStr"><is><t>db-01</t></is></c><c r="B2" t="inlineStr"><is><t>10.0.0.5</t></is></c></row>"#))
        )
        #expect(read.machines.map(\.name) == ["db-01"])
    }

    @Test(
        "a cell reference past Excel's last column (XFD) is an issue",
        arguments: ["XFE2", "ZZZZZZ2", "ZZZZZZZZZZZZZZZZZZZZ2", String(repeating: "Z", count: 5000) + "2"])
    func farColumn(reference: String) throws {
        let read = Self.read(
            try Self.workbook(sheet: Self.sheet(Self.header + #"<row r="2"><c r="\#(reference)" t="inlineStr"><is><t>x</t></is></c></row>"#)))
        #expect(read.machines.isEmpty)
        #expect(read.issues.first?.message.contains("column") == true, "\(read.issues.map(\.message))")
    }

    @Test(
        "a row number outside Excel's rows is an issue, and so is a row after the last",
        arguments: [#"<row r="0">"#, #"<row r="1048577">"#, #"<row r="9223372036854775807">"#, #"<row r="1048576"></row><row>"#])
    func farRow(row: String) throws {
        let read = Self.read(try Self.workbook(sheet: Self.sheet(Self.header + row + #"<c r="A9" t="inlineStr"><is><t>x</t></is></c></row>"#)))
        #expect(read.machines.isEmpty)
        #expect(read.issues.first?.message.contains("row") == true, "\(read.issues.map(\.message))")
    }

    @Test("a part that inflates past the limit (a zip bomb) stops while inflating, as an issue")
    func zipBomb() throws {
        // 300 MiB of one repeated string deflates to a few hundred KiB.
        let unit = Data("<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>".utf8)
        var strings = Data("<sst>".utf8)
        strings.reserveCapacity(300 << 20)
        while strings.count < 300 << 20 { strings.append(unit) }
        strings.append(Data("</sst>".utf8))
        let bytes = try Self.workbook(sheet: Self.sheet(Self.header), sharedStrings: strings)
        #expect(bytes.count < 4 << 20)
        let read = Self.read(bytes)
        #expect(read.issues.first?.message.contains("larger than 256 MiB uncompressed") == true, "\(read.issues.map(\.message))")
    }

    @Test("entities that expand exponentially (billion laughs) are not expanded into the sheet")
    func billionLaughs() throws {
        var entities = #"<!ENTITY l0 "laughlaughlaughlaugh">"#
        for level in 1...12 { entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">" }
        let sheet =
            "<?xml version=\"1.0\"?><!DOCTYPE worksheet [\(entities)]>"
            + Self.sheet(Self.header + #"<row r="2"><c r="A2" t="inlineStr"><is><t>&l12;</t></is></c></row>"#)
        let read = Self.read(try Self.workbook(sheet: sheet))
        #expect(read.machines.allSatisfy { $0.name.utf8.count < 1 << 20 })
        #expect(!read.issues.isEmpty)
    }

    @Test("a workbook with any one byte changed after its ZIP signature is read or refused, never a crash or a hang")
    func everyByteFlipped() throws {
        let workbook = Array(try Data(contentsOf: XLSXTests.root.appendingPathComponent("Tests/KennelImportTests/Fixtures/generic.xlsx")))
        // (A changed signature makes the file a CSV, read as such.)
        for position in workbook.indices.dropFirst(4) {
            for value: UInt8 in [0x00, 0xFF, workbook[position] ^ 0x80] {
                var bent = workbook
                bent[position] = value
                let (read, _) = InventoryReader.read([SourceFile(name: "bent.xlsx", bytes: bent)])
                #expect(read.machines.count <= 2, "one byte cannot make rows")
                #expect(!read.issues.isEmpty || read.machines.count == 2, "at \(position): a damaged workbook that reads short says why")
            }
        }
    }
}
