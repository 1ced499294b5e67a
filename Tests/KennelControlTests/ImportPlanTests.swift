import Foundation
import KennelControl
import KennelImport
import KennelModel
import KennelTesting
import Testing

@Suite("Import plans: each row against the inventory, each group against the hosts")
struct ImportPlanTests {
    private func file(_ text: String) -> SourceFile { SourceFile(name: "cmdb.csv", bytes: Array(text.utf8)) }
    private func map(_ text: String) -> SourceFile { SourceFile(name: "map.yaml", bytes: Array(text.utf8)) }

    private func plane() async throws -> TestControlPlane {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.machines.create(TestSite.request("db-01", ip: "10.100.0.2"))
        _ = try await plane.services.access.createTeam(named: TestSite.value("web"), by: .system)
        return plane
    }

    private func row(_ plan: ImportPlan, _ name: String) -> ImportPlan.Row? { plan.rows.first { $0.sourceName == name } }

    @Test("create, skip and error per row, each error naming its row and column; nothing is written")
    func rows() async throws {
        let plane = try await plane()
        let csv = """
            name,ip,cpus,memory,disk,idc,zone,team,template,power
            web-01,10.100.0.10,2,4G,20G,dc1,z1,web,false,on
            db-01,10.100.0.11,2,4G,20G,dc1,,,false,on
            app-01,10.100.0.2,2,4G,20G,dc1,,,false,on
            out-01,192.168.5.5,2,4G,20G,dc1,,,false,on
            gw-01,10.100.0.1,2,4G,20G,dc1,,,false,on
            z-01,10.100.0.12,2,4G,20G,dc1,z9,nobody,false,on
            tmpl-01,,2,4G,20G,dc1,,,true,off
            off-01,10.100.0.13,2,4G,20G,dc1,,,false,off
            """
        let before = try await plane.rowCounts()
        let plan = try await plane.services.imports.plan([file(csv)], by: .system)
        #expect(plan.rows.map(\.action) == [.create, .error, .error, .error, .error, .error, .skip, .skip])
        #expect(row(plan, "web-01")?.request?.ip?.description == "10.100.0.10" && row(plan, "web-01")?.request?.team?.value == "web")
        #expect(row(plan, "db-01")?.reasons.first?.contains("a machine named db-01 exists already") == true)
        #expect(row(plan, "app-01")?.reasons == [#"cmdb.csv row 4: column "ip": 10.100.0.2 is leased to machine db-01"#])
        #expect(row(plan, "out-01")?.reasons == [#"cmdb.csv row 5: column "ip": 192.168.5.5 is outside every pool"#])
        #expect(row(plan, "gw-01")?.reasons.first?.contains("not an allocatable address of pool pool-a") == true)
        #expect(row(plan, "z-01")?.reasons.count == 2, "the unknown zone and the unknown team: \(row(plan, "z-01")?.reasons ?? [])")
        #expect(plan.totals == [.create: 1, .error: 5, .skip: 2] && !plan.isClean)
        #expect(try await plane.rowCounts() == before, "a plan writes nothing")
        let withOff = try await plane.services.imports.plan([file(csv)], includeOff: true, by: .system)
        #expect(row(withOff, "off-01")?.action == .create && row(withOff, "tmpl-01")?.action == .skip)
    }

    @Test("a machine imported before is found by its source id: unchanged, updated, or refused when its identity would change")
    func rerun() async throws {
        let plane = try await plane()
        _ = try await plane.services.machines.create(TestSite.request("web-01", ip: "10.100.0.10"))
        try await plane.store.transaction { store in try store.setSource("id:7", of: TestSite.value("web-01")) }
        let header = "id,name,ip,cpus,memory,disk,idc\n"
        let same = try await plane.services.imports.plan([file(header + "7,web-01,10.100.0.10,1,1G,10G,dc1\n")], by: .system)
        #expect(same.rows.map(\.action) == [.unchanged] && same.isClean)
        let bigger = try await plane.services.imports.plan([file(header + "7,web-01,10.100.0.10,2,1G,10G,dc1\n")], by: .system)
        #expect(bigger.rows.map(\.action) == [.update] && bigger.rows[0].reasons == ["cpus 1 → 2"])
        let moved = try await plane.services.imports.plan([file(header + "7,web-01,10.100.0.20,1,1G,5G,dc1\n")], by: .system)
        #expect(moved.rows.map(\.action) == [.error])
        #expect(moved.rows[0].reasons.contains { $0.contains("ip cannot change from 10.100.0.10 to 10.100.0.20") })
        #expect(moved.rows[0].reasons.contains { $0.contains("disk cannot shrink") })
    }

    @Test("groups: a machine no host can take, and more machines than the hosts hold, are refused with placement's reasons")
    func groups() async throws {
        let plane = try await plane()
        var csv = "name,ip,cpus,memory,disk,idc,zone,service\nhuge-01,10.100.0.50,2,4T,20G,dc1,,big\n"
        for index in 1...20 { csv += "m-\(index),10.100.0.\(100 + index),1,32G,20G,dc1,z1,small\n" }
        csv += "ok-01,10.100.0.60,1,1G,10G,dc1,z2,fine\n"
        let plan = try await plane.services.imports.plan([file(csv)], by: .system)
        #expect(plan.rows.allSatisfy { $0.action == .create })
        let big = try #require(plan.groups.first { $0.service?.value == "big" })
        #expect(big.refusal != nil && big.machines == 1)
        let small = try #require(plan.groups.first { $0.service?.value == "small" })
        #expect(small.machines == 20 && small.demand.memory == .gibibytes(640))
        #expect(small.refusal?.contains("short") == true, "6 hosts of 32G in z1 cannot hold 640G")
        #expect(plan.groups.first { $0.service?.value == "fine" }?.refusal == nil)
    }

    @Test("the map file decides names, places and pools; a bad map is 422 naming map; only admins import")
    func mapsAndRights() async throws {
        let plane = try await plane()
        let rules = """
            places:
              - match: {datacenter: DC-East}
                idc: dc1
                zone: z2
            """
        let plan = try await plane.services.imports.plan(
            [file("name,ip,datacenter\nWEB_02.corp.example,10.100.0.30,DC-East\n")], map: map(rules), by: .system)
        #expect(plan.rows.first?.request?.name.value == "web-02" && plan.rows.first?.request?.zone?.value == "z2")
        #expect(plan.rows.first?.notes == [#"named web-02 (was "WEB_02.corp.example")"#])
        await #expect(throws: KennelError.self) {
            try await plane.services.imports.plan([file("name\nx\n")], map: map("skip: {names: [\"(\"]}"), by: .system)
        }
        let viewer = Requester(principal: Principal(user: TestSite.value("eve"), role: .viewer, teams: []))
        await #expect(throws: KennelError.self) { try await plane.services.imports.plan([file("name\nx\n")], by: viewer) }
    }

    @Test("MACs: a libvirt one (52:54:00:…) and the one Kennel derives from the row's own address are kept; other 52:54 ones are refused")
    func macs() async throws {
        let plane = try await plane()
        let csv = """
            name,ip,mac,idc
            kvm-01,10.100.0.40,52:54:00:12:34:56,dc1
            back-01,10.100.0.41,52:54:0a:64:00:29,dc1
            odd-01,10.100.0.42,52:54:0a:64:00:07,dc1
            """
        let plan = try await plane.services.imports.plan([file(csv)], by: .system)
        #expect(plan.rows.map(\.action) == [.create, .create, .error])
        #expect(plan.rows[2].reasons.first?.contains("52:54:0a:64:00:07 is in 52:54:") == true)
    }
}
