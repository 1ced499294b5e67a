import Foundation
import KennelImport
import KennelModel
import Testing

@Suite("Mapping rules: places, pools, sizes, names, owners, skips and conflicts")
struct MapperTests {
    static let yaml = """
        image: debian-12
        places:
          - match: {datacenter: DC-East, cluster: Prod-B}
            idc: dc1
            zone: z2
          - match: {datacenter: dc-east}
            idc: dc1
        pools:
          - match: {network: VLAN30-DB}
            pool: pool-db
        sizes:
          cpus: {min: 1, max: 16}
          memory: {round_to: 256M, min: 512M, max: 64G}
          disk: {round_to: 1G, default: 20G}
        names:
          rename:
            "legacy box 7": legacy-07
        team: {column: Team, annotation: "team: (\\\\S+)"}
        service: {annotation: "app: (\\\\S+)", value: misc}
        skip:
          names: ["^vCLS-"]
        """

    private func source(_ name: String, _ build: (inout SourceMachine) -> Void = { _ in }) -> SourceMachine {
        var machine = SourceMachine(row: 2, name: name)
        machine.power = .on
        machine.datacenter = "DC-East"
        machine.cluster = "Prod-A"
        machine.addresses = [TestIP.v("10.20.0.11")]
        machine.cpus = 2
        machine.memoryMiB = 4096
        machine.diskMiB = 40960
        build(&machine)
        return machine
    }

    private func mapped(_ source: SourceMachine, includeOff: Bool = false) throws -> MappedRow {
        Mapper(map: try ImportMap.parse(Array(Self.yaml.utf8)), includeOff: includeOff).map(source)
    }

    private func machine(_ row: MappedRow) -> ImportedMachine? {
        if case .machine(let machine) = row.outcome { return machine }
        return nil
    }

    @Test(
        "names: an FQDN loses its domain; upper case, underscores and spaces become a valid name; the rename table wins",
        arguments: [
            ("web01.corp.example", "web01"), ("WEB_01", "web-01"), ("Web 02", "web-02"), ("db__01", "db-01"), ("legacy box 7", "legacy-07"),
            ("10.20.0.11", "10-20-0-11"),
        ])
    func names(source: String, name: String) throws {
        #expect(machine(try mapped(self.source(source)))?.request.name.value == name)
    }

    @Test("a name that cannot be made valid is an error naming the column and the way out")
    func badName() throws {
        let row = try mapped(source("ü-box"))
        guard case .error(let issues) = row.outcome else {
            Issue.record("not an error")
            return
        }
        #expect(issues.map(\.column) == ["name"] && issues[0].message.contains("names.rename"))
    }

    @Test("places: the first matching rule gives IDC and zone; a datacenter no rule names is taken when it is a valid name")
    func places() throws {
        let prodB = machine(try mapped(source("a") { $0.cluster = "Prod-B" }))
        #expect(prodB?.request.idc.value == "dc1" && prodB?.request.zone?.value == "z2")
        #expect(machine(try mapped(source("b")))?.request.zone == nil)
        #expect(machine(try mapped(source("c") { $0.datacenter = "DC West" }))?.request.idc.value == "dc-west")
        let none = try mapped(source("d") { $0.datacenter = nil })
        #expect(none.outcome == .error([ImportIssue(row: 2, column: "datacenter", "no datacenter or site: add a places rule")]))
    }

    @Test("pools by network; the address kept; sizes rounded up, bounded and defaulted, each change noted")
    func sizesAndPools() throws {
        let row = try mapped(
            source("db-01") {
                $0.networks = ["VLAN30-DB"]
                $0.cpus = 48
                $0.memoryMiB = 1000
                $0.diskMiB = nil
            })
        let imported = try #require(machine(row))
        #expect(imported.request.pool?.value == "pool-db" && imported.request.ip == TestIP.v("10.20.0.11"))
        #expect(imported.request.spec.cpus.value == 16 && imported.request.spec.memory == .mebibytes(1024))
        #expect(imported.request.spec.disk == .gibibytes(20))
        #expect(row.notes.contains("cpus 48 capped at 16") && row.notes.contains("memory 1000M rounded up to 1G"))
    }

    @Test("team from a column or the annotation, service from the annotation or a fixed value")
    func owners() throws {
        let fromColumn = machine(try mapped(source("a") { $0.attributes = ["Team": "Web Ops"] }))
        #expect(fromColumn?.request.team?.value == "web-ops" && fromColumn?.request.service?.value == "misc")
        let fromAnnotation = machine(try mapped(source("b") { $0.annotation = "app: shop\nteam: payments" }))
        #expect(fromAnnotation?.request.team?.value == "payments" && fromAnnotation?.request.service?.value == "shop")
    }

    @Test("skips: templates, powered-off (unless --include-off) and names matching a pattern")
    func skips() throws {
        #expect(try mapped(source("x") { $0.isTemplate = true }).outcome == .skip("a template"))
        #expect(try mapped(source("x") { $0.power = .off }).outcome == .skip("powered off (--include-off imports it)"))
        #expect(try mapped(source("x") { $0.power = .suspended }).outcome == .skip("powered off (--include-off imports it)"))
        #expect(try mapped(source("vCLS-1234")).outcome == .skip("its name matches skip pattern \"^vCLS-\""))
    }

    @Test("powered-off VMs are taken with --include-off; a libvirt MAC (52:54:00:…) is kept")
    func includeOffAndMAC() throws {
        let row = try mapped(
            source("kvm-01") {
                $0.power = .off
                $0.macs = ["52:54:00:AB:CD:EF"]
            }, includeOff: true)
        #expect(machine(row)?.request.mac?.description == "52:54:00:ab:cd:ef")
    }

    @Test("no address and no pool rule is an error; read problems carry through")
    func errors() throws {
        let row = try mapped(
            source("x") {
                $0.addresses = []
                $0.otherAddresses = ["fe80::1"]
            })
        #expect(row.outcome == .error([ImportIssue(row: 2, column: "ip", "no IPv4 address (only fe80::1)")]))
        let unread = source("y") { $0.issues = [ImportIssue(row: 2, column: "CPUs", "\"lots\" is not a whole number")] }
        #expect(try mapped(unread).outcome == .error(unread.issues))
    }

    @Test("WEB_01 and web-01 in one file, or two VMs with one address: both rows are errors naming each other")
    func conflicts() throws {
        let map = try ImportMap.parse(Array(Self.yaml.utf8))
        var first = source("WEB_01")
        first.row = 7
        var second = source("web-01")
        second.row = 9
        second.addresses = [TestIP.v("10.20.0.12")]
        var third = source("db-01")
        third.row = 12
        var fourth = source("db-02")
        fourth.row = 13
        fourth.addresses = [TestIP.v("10.20.0.99")]
        let rows = RowConflicts.flag([first, second, third, fourth].map(Mapper(map: map).map))
        #expect(
            rows[0].outcome
                == .error([
                    ImportIssue(row: 7, column: "ip", #"address 10.20.0.11 is claimed by row 12 ("db-01") too"#),
                    ImportIssue(row: 7, column: "name", #"machine name web-01 is claimed by row 9 ("web-01") too"#),
                ]))
        #expect(rows[1].outcome == .error([ImportIssue(row: 9, column: "name", #"machine name web-01 is claimed by row 7 ("WEB_01") too"#)]))
        #expect(rows[2].outcome == .error([ImportIssue(row: 12, column: "ip", #"address 10.20.0.11 is claimed by row 7 ("WEB_01") too"#)]))
        #expect(machine(rows[3]) != nil, "the rest stands")
        var unread = source("WEB-01")
        unread.row = 20
        unread.issues = [ImportIssue(row: 20, column: "Memory", "\"lots\" is not a size")]
        let withError = RowConflicts.flag([first, unread].map(Mapper(map: map).map))
        #expect(
            withError[0].outcome
                == .error([
                    ImportIssue(row: 7, column: "ip", #"address 10.20.0.11 is claimed by row 20 ("WEB-01") too"#),
                    ImportIssue(row: 7, column: "name", #"machine name web-01 is claimed by row 20 ("WEB-01") too"#),
                ]))
        guard case .error(let issues) = withError[1].outcome else {
            Issue.record("not an error")
            return
        }
        #expect(issues.map(\.column) == ["Memory", "ip", "name"], "its own problem, then the conflicts")
    }

    @Test(
        "a bad map is an issue naming the field",
        arguments: [
            ("skip: {names: [\"(\"]}", "skip.names[0]"), ("sizes: {memory: {min: lots}}", "sizes.memory.min"),
            ("names: {rename: {a: \"B B\"}}", "names.rename"), ("places: [{idc: dc1}]", nil), ("team: {annotation: \"[\"}", "team.annotation"),
            ("pools: [{match: {vlan: 100}, poool: pool-a}]", "pools[0].poool"), ("names: {strip_domains: false}", "names.strip_domains"),
            ("colums: {name: Host}", "colums"), ("places: [{match: {datacenter: A, clustr: B}, idc: dc1}]", "places[0].match.clustr"),
            ("sizes: {memory: {round: 1G}}", "sizes.memory.round"), ("{\"skip\": {\"powered-off\": false}}", "skip.powered-off"),
            ("owner: {colum: Owner}", "owner.colum"), ("columns: {name: Host, memory_units: GiB}", "columns.memory_units"),
        ] as [(String, String?)])
    func badMaps(text: String, column: String?) {
        #expect {
            try ImportMap.parse(Array(text.utf8))
        } throws: { error in
            guard let issue = error as? ImportIssue else { return false }
            return column == nil ? issue.message.contains("match") : issue.column == column
        }
    }

    @Test("a misspelt key names itself and the fields that section has; the rename table takes any source name")
    func unknownKeys() throws {
        #expect {
            try ImportMap.parse(Array("pools:\n  - match: {vlan: 100}\n    pol: pool-a\n".utf8), file: "map.yaml")
        } throws: { error in
            (error as? ImportIssue)?.description
                == #"map.yaml column "pools[0].pol": "pol" is not a field here (a misspelling?); the fields are: match, pool"#
        }
        let map = try ImportMap.parse(Array("names: {rename: {\"Cache 42\": cache-42, WEB_01: web-01}}".utf8))
        #expect(map.names.rename == ["Cache 42": "cache-42", "WEB_01": "web-01"])
    }

    @Test("YAML merge keys (<<) are read as before, and a merged mapping's keys are checked too")
    func mergeKeys() throws {
        let merged = try ImportMap.parse(Array("sizes:\n  memory: &m {min: 512M, max: 8G}\n  disk: {<<: *m, max: 40G}\n".utf8))
        #expect(merged.sizes.disk.min == "512M" && merged.sizes.disk.max == "40G")
        #expect {
            try ImportMap.parse(Array("sizes:\n  cpus: &c {mni: 1}\n  memory: {<<: *c}\n".utf8))
        } throws: { error in
            (error as? ImportIssue)?.column == "sizes.cpus.mni"
        }
        #expect {
            try ImportMap.parse(Array("x: &b {rond_to: 1G}\nsizes:\n  memory: {<<: [*b]}\n".utf8))
        } throws: { error in
            (error as? ImportIssue)?.column == "x"
        }
        #expect {
            try ImportMap.parse(Array("sizes:\n  memory: {<<: {rond_to: 1G}}\n".utf8))
        } throws: { error in
            (error as? ImportIssue)?.column == "sizes.memory.rond_to"
        }
    }

    @Test("every map shipped in Migration/maps is read without an issue", arguments: ["generic", "netbox", "openstack", "rvtools"])
    func shippedMaps(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Migration/maps/\(name).yaml")
        _ = try ImportMap.parse(Array(try Data(contentsOf: url)), file: "\(name).yaml")
    }
}
