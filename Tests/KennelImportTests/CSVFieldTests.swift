import KennelImport
import Testing

@Suite("CSV fields as written")
struct CSVFieldTests {
    @Test(
        "quoted only when needed, quotes doubled; formulas defused only for spreadsheets",
        arguments: [
            ("web-01", false, "web-01"), ("a,b", false, "\"a,b\""), ("say \"hi\"", false, "\"say \"\"hi\"\"\""),
            ("two\r\nlines", false, "\"two\r\nlines\""), ("", false, ""), ("=1+1", false, "=1+1"), ("=1+1", true, "'=1+1"),
            ("-rm,x", true, "\"'-rm,x\""), ("@sum", true, "'@sum"), ("ok", true, "ok"),
        ] as [(String, Bool, String)])
    func quoting(field: String, forSpreadsheets: Bool, written: String) {
        #expect(CSVField.quoted(field, forSpreadsheets: forSpreadsheets) == written)
    }
}
