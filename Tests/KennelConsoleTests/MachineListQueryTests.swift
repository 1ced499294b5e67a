import Foundation
import KennelModel
import KennelTesting
import Testing

@testable import KennelConsole

@Suite struct MachineListQueryTests {
    @Test(arguments: [
        (["sort": "colour"], "sort"), (["dir": "up"], "dir"), (["page": "0"], "page"), (["page": "x"], "page"), (["per": "7"], "per"),
    ])
    func aValueThatCannotBeMeantNamesItsField(query: [String: String], field: String) {
        #expect(throws: KennelError.self) { try MachineListQuery(query: query) }
        do {
            _ = try MachineListQuery(query: query)
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func emptyValuesAreAbsent() throws {
        let query = try MachineListQuery(query: ["q": " ", "idc": "", "sort": "", "page": "", "per": "", "dir": ""])
        #expect(query == MachineListQuery())
    }

    static func machines() -> [Machine] {
        let names = ["b-2", "a-1", "c-3", "a-10"]
        return names.enumerated().map { index, name in
            TestMachines.make(name, ip: "10.0.0.\(20 - index)", service: index % 2 == 0 ? "web" : "db", memoryGiB: UInt64(index + 1))
        }
    }

    @Test(arguments: [
        ([:], ["a-1", "a-10", "b-2", "c-3"]),
        (["sort": "name", "dir": "desc"], ["c-3", "b-2", "a-10", "a-1"]),
        (["sort": "ip"], ["a-10", "c-3", "a-1", "b-2"]),
        (["sort": "memory", "dir": "desc"], ["a-10", "c-3", "a-1", "b-2"]),
        (["service": "web"], ["b-2", "c-3"]),
        (["q": "A-1"], ["a-1", "a-10"]),
        (["q": "10.0.0.17"], ["a-10"]),
        (["service": "web", "q": "3"], ["c-3"]),
        (["state": "stopped"], []),
    ])
    func filtersAndSorts(query: [String: String], expected: [String]) throws {
        let result = try MachineListQuery(query: query).apply(to: Self.machines())
        #expect(result.rows.map(\.name.value) == expected)
        #expect(result.matching == expected.count)
    }

    @Test func pagesAreCutAndAPagePastTheEndShowsTheLast() throws {
        let machines = (1...120).map { TestMachines.make(String(format: "m-%03d", $0), ip: "10.0.1.\($0)") }
        let second = try MachineListQuery(query: ["per": "50", "page": "2"]).apply(to: machines)
        #expect(second.rows.first?.name.value == "m-051")
        #expect(second.rows.count == 50)
        #expect(second.pages == 3)
        let past = try MachineListQuery(query: ["per": "50", "page": "9"]).apply(to: machines)
        #expect(past.page == 3)
        #expect(past.rows.count == 20)
        #expect(try MachineListQuery(query: [:]).apply(to: []).pages == 1)
    }

    @Test func linksKeepTheRestOfTheQuery() throws {
        let query = try MachineListQuery(query: ["q": "a b&c", "service": "web", "sort": "ip", "page": "3"])
        #expect(query.items(changing: ["page": nil]).map { "\($0.0)=\($0.1)" } == ["q=a b&c", "service=web", "sort=ip"])
        #expect(query.items(changing: ["sort": "name", "dir": "desc"]).map(\.0) == ["dir", "page", "q", "service", "sort"])
    }
}
