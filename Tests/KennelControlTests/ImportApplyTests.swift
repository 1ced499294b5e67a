import Foundation
import KennelControl
import KennelImport
import KennelModel
import KennelTesting
import Testing

@Suite("Import apply: all or nothing, idempotent re-runs, only what changed, records only")
struct ImportApplyTests {
    private func file(_ text: String, name: String = "cmdb.csv") -> SourceFile { SourceFile(name: name, bytes: Array(text.utf8)) }

    private func plane() async throws -> (TestControlPlane, FakeHostRuntime) {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        _ = try await plane.services.access.createTeam(named: TestSite.value("web"), by: .system)
        return (plane, runtime)
    }

    private func apply(
        _ plane: TestControlPlane, _ files: [SourceFile], options: ImportApplyOptions = ImportApplyOptions()
    ) async throws -> ImportOutcome {
        let handle = try await plane.services.imports.submitApply(files, options: options, by: .system)
        #expect(handle.kind == .inventoryImport && handle.machine.value == "import")
        _ = try await handle.result()
        return try await outcome(of: handle.id, in: plane)
    }

    /// The operation's summary with its recorded rows.
    private func outcome(of id: Int64, in plane: TestControlPlane) async throws -> ImportOutcome {
        let summary = try #require(try await plane.services.operations.operation(id: id).result?.imported)
        let rows = try await plane.services.imports.rows(of: id, by: .system)
        let outcome = ImportOutcome(rows: rows, recordsOnly: summary.recordsOnly)
        #expect(outcome.totals == summary.totals.filter { $0.value > 0 }, "the summary counts the rows")
        return outcome
    }

    private static let header = "id,name,ip,mac,cpus,memory,disk,idc,zone,rack,team,service,owner\n"
    private static let three =
        header + """
            1,web-01,10.100.0.10,52:54:00:aa:00:01,2,4G,20G,dc1,z1,r2,web,shop,alice
            2,web-02,10.100.0.11,,2,4G,20G,dc1,z2,,web,shop,alice
            3,db-01,10.100.0.12,00:16:3e:00:00:03,4,8G,40G,dc1,z1,,,db,bob

            """

    @Test("new machines keep their names, addresses, MACs and racks, are placed and built, and keep their source ids")
    func creates() async throws {
        let (plane, runtime) = try await plane()
        let outcome = try await apply(plane, [file(Self.three)])
        #expect(outcome.rows.map(\.result) == [.created, .created, .created] && outcome.changes == 3 && !outcome.recordsOnly)
        let web = try await plane.services.machines.machine(named: TestSite.value("web-01"))
        #expect(web.network.ip.description == "10.100.0.10" && web.network.mac.description == "52:54:00:aa:00:01")
        #expect(web.location.zone.value == "z1" && web.location.rack.value == "r2" && web.team?.value == "web" && web.owner?.value == "alice")
        #expect(web.state == .running && web.spec.cpus.value == 2 && web.spec.memory == .gibibytes(4))
        let db = try await plane.services.machines.machine(named: TestSite.value("db-01"))
        #expect(db.network.mac.description == "00:16:3e:00:00:03" && db.state == .running)
        #expect(await runtime.definedMachines.map(\.value) == ["db-01", "web-01", "web-02"])
        let sources = try await plane.store.snapshot { store in try store.machineSources() }
        #expect(sources["id:1"]?.value == "web-01" && sources["id:3"]?.value == "db-01")
    }

    @Test("re-applying an applied file changes nothing; a changed row changes only its changed fields")
    func rerun() async throws {
        let (plane, runtime) = try await plane()
        _ = try await apply(plane, [file(Self.three)])
        let before = try await plane.services.machines.list()
        let again = try await apply(plane, [file(Self.three)])
        #expect(again.changes == 0 && again.rows.map(\.result) == [.unchanged, .unchanged, .unchanged])
        #expect(try await plane.services.machines.list() == before, "a re-run writes nothing")
        let changed = Self.three.replacingOccurrences(
            of: "3,db-01,10.100.0.12,00:16:3e:00:00:03,4,8G,40G,dc1,z1,,,db,bob",
            with: "3,db-01,10.100.0.12,00:16:3e:00:00:03,6,8G,60G,dc1,z1,,,db,carol")
        let outcome = try await apply(plane, [file(changed)])
        #expect(outcome.rows.map(\.result) == [.unchanged, .unchanged, .updated] && outcome.changes == 1)
        let old = try #require(before.first { $0.name.value == "db-01" })
        let new = try await plane.services.machines.machine(named: TestSite.value("db-01"))
        #expect(new.spec.cpus.value == 6 && new.spec.disk == .gibibytes(60) && new.owner?.value == "carol")
        #expect(new.spec.memory == old.spec.memory && new.uuid == old.uuid && new.network == old.network && new.host == old.host)
        #expect(new.service == old.service && new.team == old.team && new.spec.image == old.spec.image)
        #expect(await runtime.limited[TestSite.value("db-01")]?.cpus.value == 6, "the new CPUs are applied live")
        #expect(await runtime.resized[TestSite.value("db-01")] == .gibibytes(60), "the volume is grown online")
        let others = try await plane.services.machines.list().filter { $0.name.value != "db-01" }
        #expect(others == before.filter { $0.name.value != "db-01" }, "the other machines are untouched")
    }

    @Test("a file with two VMs claiming one address is refused whole; with partial both rows are errors and the rest applies")
    func conflicts() async throws {
        let (plane, _) = try await plane()
        let csv = Self.three + "4,app-01,10.100.0.11,,1,1G,10G,dc1,,,,,\n"
        let counts = try await plane.rowCounts()
        await #expect(throws: KennelError.self) { try await apply(plane, [file(csv)]) }
        do {
            _ = try await plane.services.imports.submitApply([file(csv)], by: .system)
        } catch let error as KennelError {
            #expect(
                error.code == .conflict && error.message.contains("row 3") && error.message.contains("row 5")
                    && error.message.contains("nothing was written"))
        }
        let after = try await plane.rowCounts()
        #expect(after.machines == counts.machines && after.leases == counts.leases, "nothing is written")
        let outcome = try await apply(plane, [file(csv)], options: ImportApplyOptions(partial: true))
        #expect(outcome.rows.map(\.result) == [.created, .error, .created, .error])
        #expect(outcome.rows[1].reason?.contains("10.100.0.11") == true && outcome.rows[3].reason?.contains("10.100.0.11") == true)
        #expect(try await plane.services.machines.list().map(\.name.value) == ["db-01", "web-01"])
    }

    @Test("a row the store refuses while writing refuses the whole run, and nothing stays written (partial: that row only)")
    func refusedWhileWriting() async throws {
        // One host of 32G: each service's group fits on its own, so the plan is clean,
        // but the two together do not: the second row is refused inside the write.
        let plane = try await TestControlPlane.make(site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 1))
        let csv = Self.header + "1,a-01,10.100.0.30,,1,20G,10G,dc1,,,,a,\n2,b-01,10.100.0.31,,1,20G,10G,dc1,,,,b,\n"
        let plan = try await plane.services.imports.plan([file(csv)], by: .system)
        #expect(plan.isClean)
        let counts = try await plane.rowCounts()
        let handle = try await plane.services.imports.submitApply([file(csv)], options: ImportApplyOptions(recordsOnly: true), by: .system)
        let error = await #expect(throws: KennelError.self) { _ = try await handle.result() }
        #expect(
            error?.code == .noCapacity && error?.message.contains("row 3 (b-01)") == true && error?.message.contains("nothing was written") == true)
        let after = try await plane.rowCounts()
        #expect(after.machines == counts.machines && after.leases == counts.leases, "a-01 is not left behind")
        let operation = try await plane.services.operations.operation(id: handle.id)
        #expect(operation.state == .failed && operation.steps.first?.outcome == .failed)
        let outcome = try await apply(plane, [file(csv)], options: ImportApplyOptions(partial: true, recordsOnly: true))
        #expect(outcome.rows.map(\.result) == [.created, .error] && outcome.rows[1].reason?.contains("b-01") == true)
        #expect(try await plane.services.machines.list().map(\.name.value) == ["a-01"])
        #expect(try await plane.leaseStates() == [.active], "the refused row's address was given back")
    }

    @Test("records only: machines are written in state imported with no host work; start builds one, delete removes one without a host")
    func recordsOnly() async throws {
        let (plane, runtime) = try await plane()
        let outcome = try await apply(plane, [file(Self.three)], options: ImportApplyOptions(recordsOnly: true))
        #expect(outcome.recordsOnly && outcome.rows.map(\.result) == [.created, .created, .created])
        #expect(try await plane.services.machines.list().allSatisfy { $0.state == .imported })
        let calls = await runtime.calls
        #expect(calls.isEmpty, "no host was asked anything: \(calls)")
        let stop = await #expect(throws: KennelError.self) { _ = try await plane.services.machines.submitStop(named: TestSite.value("web-01")) }
        #expect(stop?.code == .conflict && stop?.message.contains("never started") == true)
        let started = try await plane.services.machines.start(named: TestSite.value("web-01"))
        #expect(started.state == .running && started.network.ip.description == "10.100.0.10")
        #expect(await runtime.definedMachines.map(\.value) == ["web-01"])
        let callsBefore = await runtime.calls.count
        try await plane.services.machines.delete(named: TestSite.value("web-02"))
        #expect(await runtime.calls.count == callsBefore, "an imported machine is deleted without asking its host")
        let again = try await apply(plane, [file(Self.three)], options: ImportApplyOptions(recordsOnly: true))
        #expect(again.rows.map(\.result) == [.unchanged, .created, .unchanged], "the deleted one comes back with its address")
        #expect(try await plane.services.machines.machine(named: TestSite.value("web-02")).network.ip.description == "10.100.0.11")
        // Start-up reconciling leaves imported machines alone.
        let report = try await plane.services.reconciler.reconcile(.startup)
        #expect(report.restored.isEmpty && report.failures.isEmpty)
        #expect(try await plane.services.machines.machine(named: TestSite.value("db-01")).state == .imported)
    }

    @Test("a build that fails is that row's failure: the machine stays failed, the others run, the operation says how many")
    func buildFailure() async throws {
        let (plane, runtime) = try await plane()
        let csv = Self.header + "1,a-01,10.100.0.30,,1,1G,10G,dc1,z1,r1,,,\n2,a-02,10.100.0.31,,1,1G,10G,dc1,z2,r1,,,\n"
        await runtime.failStarts(on: TestSite.value("z2-r1-h1"))
        await runtime.failStarts(on: TestSite.value("z2-r1-h2"))
        let handle = try await plane.services.imports.submitApply([file(csv)], by: .system)
        await #expect(throws: KennelError.self) { _ = try await handle.result() }
        let operation = try await plane.services.operations.operation(id: handle.id)
        #expect(operation.state == .failed && operation.failure?.code == .hostFailure)
        let outcome = try await outcome(of: handle.id, in: plane)
        #expect(outcome.rows.map(\.result) == [.created, .failed] && outcome.rows[1].reason?.contains("building a-02 failed") == true)
        #expect(try await plane.services.machines.machine(named: TestSite.value("a-02")).state == .failed)
        #expect(try await plane.services.machines.machine(named: TestSite.value("a-01")).state == .running)
    }

    @Test("viewers and operators cannot import; an unknown rack is an error naming the column")
    func refusals() async throws {
        let (plane, _) = try await plane()
        for role in [Role.viewer, .operator] {
            let requester = Requester(principal: Principal(user: TestSite.value("eve"), role: role, teams: [TestSite.value("web")]))
            let error = await #expect(throws: KennelError.self) {
                _ = try await plane.services.imports.submitApply([file(Self.three)], by: requester)
            }
            #expect(error?.code == .forbidden)
        }
        #expect(try await plane.rowCounts().machines == 0)
        let plan = try await plane.services.imports.plan([file(Self.header + "1,x-01,10.100.0.10,,1,1G,10G,dc1,z1,r9,,,\n")], by: .system)
        #expect(plan.rows.first?.action == .error && plan.rows.first?.reasons.first?.contains("column \"rack\"") == true)
    }
}
