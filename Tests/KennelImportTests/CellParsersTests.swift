import KennelImport
import KennelModel
import Testing

@Suite("Cells as inventories write them")
struct CellParsersTests {
    @Test(
        "whole numbers with thousands separators and a .0 tail",
        arguments: [
            ("16384", 16384), ("16,384", 16384), (" 16 384 ", 16384), ("16'384", 16384), ("4.0", 4), ("1,048,576", 1_048_576), ("", nil),
        ] as [(String, Int?)])
    func integers(cell: String, value: Int?) throws {
        #expect(try CellParsers.integer(cell) == value)
    }

    @Test("not whole numbers", arguments: ["lots", "4.5", "-2", "1e3", "12abc", ",5", "9999999999999999999"])
    func notIntegers(cell: String) {
        #expect(throws: CellProblem.self) { try CellParsers.integer(cell) }
    }

    @Test(
        "booleans in every spelling",
        arguments: [
            ("True", true), ("FALSE", false), ("true", true), ("false", false), ("yes", true), ("0", false), ("", nil),
        ] as [(String, Bool?)])
    func booleans(cell: String, value: Bool?) throws {
        #expect(try CellParsers.boolean(cell) == value)
        #expect(throws: CellProblem.self) { try CellParsers.boolean("maybe") }
    }

    @Test("several addresses in one cell, IPv6 beside IPv4 set aside, each address once, prefixes dropped")
    func addresses() throws {
        let found = try CellParsers.addresses("10.1.0.5, fe80::1;10.1.0.6\n10.1.0.5 10.2.0.7/24 unknown")
        #expect(found.ipv4.map(\.description) == ["10.1.0.5", "10.1.0.6", "10.2.0.7"])
        #expect(found.other == ["fe80::1", "unknown"])
        #expect(try CellParsers.addresses("").ipv4.isEmpty)
        #expect(throws: CellProblem.self) { try CellParsers.addresses("10.1.0.300") }
    }

    @Test(
        "placeholder dates are none",
        arguments: [
            ("1969/12/31", nil), ("1970-01-01 00:00", nil), ("0001-01-01", nil), ("2021/03/04 10:00:00", "2021-03-04"), ("", nil),
            ("soon", nil),
        ] as [(String, String?)])
    func days(cell: String, day: String?) {
        #expect(CellParsers.day(cell) == day)
    }

    @Test("messages echo a cell short and printable")
    func echo() {
        #expect(throws: CellProblem("\"lots\" is not a whole number")) { try CellParsers.integer("lots") }
        #expect(throws: CellProblem("\"" + String(repeating: "x", count: 40) + "…\" is not a whole number")) {
            try CellParsers.integer(String(repeating: "x", count: 100))
        }
    }
}
