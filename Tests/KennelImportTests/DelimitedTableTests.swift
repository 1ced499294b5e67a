import KennelImport
import Testing

@Suite("Delimited tables: CSV as real exports write it")
struct DelimitedTableTests {
    private func table(_ text: String) throws -> DelimitedTable { try DelimitedTable(Array(text.utf8)) }

    @Test("quoted fields keep separators, doubled quotes and line breaks; the row is where the record starts")
    func quoting() throws {
        let parsed = try table("VM,Annotation,CPUs\nweb-01,\"two\nlines, \"\"quoted\"\"\",2\ndb-01,plain,4\n")
        #expect(parsed.header == ["VM", "Annotation", "CPUs"])
        #expect(parsed.rows == [["web-01", "two\nlines, \"quoted\"", "2"], ["db-01", "plain", "4"]])
        #expect(parsed.records.map(\.row) == [2, 3])
    }

    @Test(
        "a BOM, CRLF or CR, semicolons or tabs, blank lines and trailing empty columns are read as meant",
        arguments: [
            "\u{FEFF}VM,CPUs\r\nweb-01,2\r\n\r\ndb-01,4\r\n", "VM;CPUs;;\nweb-01;2;;\n\ndb-01;4\n", "VM\tCPUs\rweb-01\t2\r\rdb-01\t4",
            "VM,CPUs,,,\nweb-01,2,,,\n\ndb-01,4,,\n",
        ])
    func dirtyLayouts(text: String) throws {
        let parsed = try table(text)
        #expect(parsed.header == ["VM", "CPUs"])
        #expect(parsed.rows == [["web-01", "2"], ["db-01", "4"]])
        #expect(parsed.records.map(\.row) == [2, 4], "a blank line is still a spreadsheet row")
    }

    @Test("cells that reading changes (a doubled quote, text after a closing quote) read right beside cells kept in the file's bytes")
    func rewrittenCells() throws {
        let csv = "a,b,c\r\n\"x\"\"y\",plain,\"q\"tail\r\n  \"sp\" ,\"\",z\r\n\"\"\"\"\"\",\"multi\nline\",end"
        let table = try DelimitedTable(Array(csv.utf8))
        #expect(table.rows == [["x\"y", "plain", "qtail"], ["sp ", "", "z"], ["\"\"", "multi\nline", "end"]])
        #expect(table.records.map(\.row) == [2, 3, 4])
        #expect(table.records[1].trimmed(0) == "sp" && table.records[2].trimmed(2) == "end")
    }

    @Test("a semicolon file with commas inside its numbers keeps them (the header decides the separator)")
    func semicolonWithCommas() throws {
        let parsed = try table("VM;Memory\nweb-01;16,384\n")
        #expect(parsed.rows.first == ["web-01", "16,384"])
    }

    @Test("short records are padded; spaces before a quote are layout")
    func padding() throws {
        let parsed = try table("a,b,c\n1\n2, \"x,y\" ,3\n")
        #expect(parsed.rows == [["1", "", ""], ["2", "x,y ", "3"]])
    }

    @Test("a quote never closed is an error naming the row it opened on; an empty file has no header")
    func truncated() {
        #expect(throws: ImportIssue(row: 3, "a quoted field opened here is never closed (is the file cut short?)")) {
            try table("VM,Annotation\nweb-01,ok\ndb-01,\"cut sh")
        }
        #expect(throws: ImportIssue.self) { try table("") }
        #expect(throws: ImportIssue.self) { try table("\n\n,,,\n") }
    }

    @Test("columns are found by header key: case, spaces, punctuation and # do not matter")
    func headerKeys() throws {
        let parsed = try table("Primary IP Address,# CPU,vInfoVMName\n")
        #expect(parsed.column("primary_ip_address") == 0 && parsed.column("numcpu") == 1 && parsed.column("VInfo VM Name") == 2)
        #expect(HeaderKey("vInfoVMName").dropping(prefix: "vinfo") == "vmname")
        #expect(HeaderKey("vinfo").dropping(prefix: "vinfo") == "vinfo")
    }

    @Test("random bytes and every cut of a real file read or fail with an issue, never crash")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...400, using: &generator)).map { _ in
                [UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ";"), 0xEF, 0xFF, 0x00]
                    .randomElement(using: &generator) ?? UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? DelimitedTable(bytes)
        }
        let sample = Array("VM,Annotation,CPUs\nweb-01,\"a\nb\",2\n\"db,01\",x,4\n".utf8)
        for cut in 0...sample.count {
            do {
                let parsed = try DelimitedTable(Array(sample.prefix(cut)))
                #expect(!parsed.header.isEmpty)
            } catch {
                #expect(error.row != nil || error.message.contains("empty") || error.message.contains("header"))
            }
        }
    }
}
