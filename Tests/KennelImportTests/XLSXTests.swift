import Foundation
import KennelImport
import Testing

@Suite("XLSX workbooks: RVTools' vInfo and vNetwork sheets, or a CMDB's first sheet")
struct XLSXTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: Self.root.appendingPathComponent(path))) }

    @Test("RVTools' workbook: vInfo and vNetwork read (other sheets left), shared and inline strings, numbers, booleans")
    func rvtools() throws {
        let (read, roles) = InventoryReader.read([SourceFile(name: "rvtools.xlsx", bytes: try bytes("Migration/samples/rvtools-4x.xlsx"))])
        #expect(roles.map(\.role) == [.rvtoolsInfo, .rvtoolsNetwork] && read.issues.isEmpty)
        let csv = InventoryReader.read([SourceFile(name: "v.csv", bytes: try bytes("Migration/samples/rvtools-4x-vInfo.csv"))]).read
        #expect(read.machines.map(\.name) == csv.machines.map(\.name))
        #expect(read.machines.map(\.memoryMiB) == csv.machines.map(\.memoryMiB) && read.machines.map(\.addresses) == csv.machines.map(\.addresses))
        #expect(read.machines.map(\.isTemplate) == csv.machines.map(\.isTemplate) && read.machines.contains(where: \.isTemplate))
        #expect(read.machines.map(\.annotation) == csv.machines.map(\.annotation), "inline strings with line breaks")
        #expect(read.machines.first { $0.name == "db-01" }?.macs == ["00:50:56:9a:00:23"], "from the vNetwork sheet")
    }

    @Test("a workbook without RVTools sheets is read from its first sheet; blank rows are skipped but counted")
    func firstSheet() throws {
        let (read, roles) = InventoryReader.read([SourceFile(name: "cmdb.xlsx", bytes: try bytes("Tests/KennelImportTests/Fixtures/generic.xlsx"))])
        #expect(roles.map(\.role) == [.generic])
        #expect(read.machines.map(\.name) == ["xl-01", "xl-02"] && read.machines.map(\.row) == [2, 4])
        #expect(read.machines.map(\.memoryMiB) == [2048, 1024])
    }

    @Test("every cut of a workbook, and a ZIP that is not one, is an issue, never a crash")
    func truncated() throws {
        let workbook = try bytes("Migration/samples/rvtools-4x.xlsx")
        for cut in stride(from: 4, to: workbook.count, by: 97) {
            let (read, _) = InventoryReader.read([SourceFile(name: "cut.xlsx", bytes: Array(workbook.prefix(cut)))])
            #expect(!read.issues.isEmpty || !read.machines.isEmpty)
        }
        let (read, _) = InventoryReader.read([SourceFile(name: "x.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04, 1, 2, 3])])
        #expect(read.issues.first?.message.contains("XLSX") == true)
    }
}
