import Foundation
import Logging
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Machine service: claim, host steps, delete")
struct MachineServiceTests {
    @Test("a created machine is placed, addressed and running on its host")
    func create() async throws {
        let plane = try await TestControlPlane.make()
        let machine = try await plane.services.machines.create(TestSite.request("web-01", cpus: 2, memory: "4G", service: "web"))
        #expect(machine.state == .running)
        #expect(machine.network.ip.description == "10.100.0.2")
        #expect(machine.network.mac.description == "52:54:0a:64:00:02")
        #expect(machine.network.vlan.value == 100)
        #expect(machine.host.value == "z1-r1-h1")
        #expect(machine.location.rack.value == "r1")
        let runtime = try #require(plane.runtime as? FakeHostRuntime)
        #expect(await runtime.domains[machine.host]?[machine.name] == .running)
        #expect(try await plane.services.machines.machine(named: machine.name) == machine)
    }

    @Test("20 machines in a row get 20 distinct addresses")
    func distinctAddresses() async throws {
        let plane = try await TestControlPlane.make()
        var addresses = Set<IPv4Address>()
        for n in 1...20 {
            addresses.insert(try await plane.services.machines.create(TestSite.request("m-\(n)")).network.ip)
        }
        #expect(addresses.count == 20)
    }

    @Test("a /24 serves 253 machines; the 254th address request is pool_exhausted and writes nothing")
    func exhaustion() async throws {
        let plane = try await TestControlPlane.make(site: TestSite.make(cpus: 64, memory: "1T"))
        for n in 1...253 {
            _ = try await plane.services.machines.create(TestSite.request("m-\(n)", memory: "1G", disk: "1G"))
        }
        let before = try await plane.rowCounts()
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("m-254", memory: "1G", disk: "1G"))
        } throws: { ($0 as? KennelError)?.code == .poolExhausted }
        let after = try await plane.rowCounts()
        #expect(before == after)
        #expect(after.leases == 253)
    }

    @Test(
        "refused requests write nothing",
        arguments: [
            ("idc", TestSite.request("a", idc: "nowhere")), ("zone", TestSite.request("a", zone: "z9")),
            ("ip", TestSite.request("a", ip: "192.168.0.5")), ("ip", TestSite.request("a", ip: "10.100.0.1")),
        ])
    func refusedRequests(field: String, request: MachineRequest) async throws {
        let plane = try await TestControlPlane.make()
        await #expect {
            _ = try await plane.services.machines.create(request)
        } throws: { ($0 as? KennelError)?.field == field }
        let counts = try await plane.rowCounts()
        #expect(counts.machines == 0 && counts.leases == 0 && counts.operations == 0)
    }

    @Test("a taken name is name_taken and changes nothing")
    func nameTaken() async throws {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.machines.create(TestSite.request("web-01"))
        await #expect(throws: KennelError(.nameTaken, "a machine named 'web-01' exists already", field: "name")) {
            _ = try await plane.services.machines.create(TestSite.request("web-01"))
        }
        #expect(try await plane.rowCounts().leases == 1)
    }

    @Test("an explicit address is honoured; a leased one is ip_in_use")
    func explicitAddress() async throws {
        let plane = try await TestControlPlane.make()
        let machine = try await plane.services.machines.create(TestSite.request("db-1", ip: "10.100.0.50"))
        #expect(machine.network.ip.description == "10.100.0.50")
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("db-2", ip: "10.100.0.50"))
        } throws: { ($0 as? KennelError)?.code == .ipInUse }
    }

    @Test("no host with room is no_capacity, naming hosts")
    func noCapacity() async throws {
        let plane = try await TestControlPlane.make()
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("big", cpus: 64))
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.message.contains("host z1-r1-h1: cpus 32 free < 64 requested") == true
                && error?.field == "cpus"
                && error?.message.hasPrefix("cpus: 64 is more than any host in dc1 can hold (the largest holds 32 after overcommit)") == true
        }
    }

    @Test(
        "no_capacity names the field every host failed on, and says 'more than any host' only when that is so",
        arguments: [
            (32, "1G", "cpus", false), (1, "40G", "memory", true), (8, "8G", nil, false),
        ])
    func noCapacityField(cpus: Int, memory: String, field: String?, beyondLargest: Bool) async throws {
        // Two hosts of 32 CPUs (after overcommit) and 32G: one nearly out of CPUs, the other of memory.
        let plane = try await TestControlPlane.make(site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 2))
        let cpuHeavy = try await plane.services.machines.create(TestSite.request("cpu-heavy", cpus: 30, memory: "1G"))
        let memoryHeavy = try await plane.services.machines.create(TestSite.request("memory-heavy", cpus: 1, memory: "30G"))
        #expect(cpuHeavy.host != memoryHeavy.host)
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("big", cpus: cpus, memory: memory))
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.field == field && (error?.message.contains("more than any host") == beyondLargest)
        }
    }

    @Test("a failed start is undone on the host and leaves the machine failed with a stable reason, not the host's text")
    func hostFailure() async throws {
        let runtime = FakeHostRuntime()
        await runtime.failStarts(on: TestSite.value("z1-r1-h1"))
        let plane = try await TestControlPlane.make(runtime: runtime)
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("web-01"))
        } throws: { ($0 as? KennelError)?.code == .hostFailure }
        let machine = try await plane.services.machines.machine(named: TestSite.value("web-01"))
        #expect(machine.state == .failed)
        #expect(machine.failure?.hasPrefix("start container on host z1-r1-h1 failed; the cause is in the service log") == true)
        #expect(machine.failure?.contains("simulated start failure") == false)
        #expect(await runtime.definedMachines.isEmpty)
        try await plane.services.machines.delete(named: machine.name)
        #expect(try await plane.rowCounts().machines == 0)
        #expect(try await plane.leaseStates() == [], "an address that never carried traffic is free at once")
    }

    /// A control plane on `site` whose hosts named in `refusing` refuse every volume (no room).
    private func planeRefusing(_ refusing: [String], site: Site) async throws -> (TestControlPlane, FakeHostRuntime) {
        let runtime = FakeHostRuntime()
        for host in refusing {
            await runtime.refuseFiles(
                on: TestSite.value(host), with: KennelError(.noCapacity, "the volume store holds 16G; 2G is left", field: "disk"))
        }
        return (try await TestControlPlane.make(site: site, runtime: runtime), runtime)
    }

    @Test("a create the host refuses for want of disk leaves nothing: no row, address free, 409 naming disk, operation no_capacity")
    func hostRefusal() async throws {
        let (plane, runtime) = try await planeRefusing(["z1-r1-h1"], site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 1))
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("web-01"))
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.field == "disk" && error?.message.contains("2G is left") == true
        }
        #expect(try await plane.rowCounts().machines == 0)
        #expect(try await plane.leaseStates() == [], "the address never carried traffic: free at once")
        let code = try await plane.store.read { db in try String.fetchOne(db, sql: "SELECT error_code FROM operation WHERE id = 1") }
        #expect(code == "no_capacity")
        let actions = try await plane.store.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit ORDER BY id") }
        #expect(actions == ["machine.create", "machine.delete"])
        #expect(await runtime.definedMachines.isEmpty)
    }

    @Test("a create the first host refuses for want of disk lands on the next host placement picks, with the same address")
    func rescheduledCreate() async throws {
        let first: Hostname = TestSite.value("z1-r1-h1")
        let (plane, runtime) = try await planeRefusing([first.value], site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 2))
        let machine = try await plane.services.machines.create(TestSite.request("web-01", service: "web"))
        #expect(machine.state == .running && machine.host.value == "z1-r1-h2" && machine.network.ip.description == "10.100.0.2")
        #expect(try await plane.services.machines.machine(named: machine.name).host.value == "z1-r1-h2")
        #expect(await runtime.calls.filter { $0.hasPrefix("prepareFiles") } == ["prepareFiles web-01@z1-r1-h1", "prepareFiles web-01@z1-r1-h2"])
        #expect(await runtime.domains[first]?.isEmpty ?? true, "nothing of it stays on the host that refused")
        let usage = try await plane.store.snapshot { store in (try store.usage(of: first), try store.usage(of: machine.host)) }
        #expect(usage.0 == .zero && usage.1 == machine.spec.resources, "its reservation moved with it")
        let actions = try await plane.store.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit ORDER BY id") }
        #expect(actions == ["machine.create", "machine.reschedule"])
        let steps = try await plane.store.transaction { try $0.steps(of: 1) }
        #expect(steps.map(\.outcome) == [.finished, .finished, .finished], "the operation shows the host that built it")
        let state = try await plane.store.read { db in try String.fetchOne(db, sql: "SELECT state FROM operation WHERE id = 1") }
        #expect(state == "succeeded")
    }

    @Test("a create every host refuses tries three hosts at most, then is refused and leaves nothing")
    func rescheduledCreateRefused() async throws {
        let site = TestSite.make(zones: 1, racks: 2, hostsPerRack: 2)
        let (plane, runtime) = try await planeRefusing(site.hosts.map(\.name.value), site: site)
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("web-01"))
        } throws: { error in
            (error as? KennelError)?.code == .noCapacity && (error as? KennelError)?.field == "disk"
        }
        let tried = await runtime.calls.filter { $0.hasPrefix("prepareFiles") }
        #expect(tried.count == 3 && Set(tried).count == 3, "three different hosts: \(tried)")
        #expect(try await plane.rowCounts().machines == 0)
        #expect(try await plane.leaseStates() == [])
        let actions = try await plane.store.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit ORDER BY id") }
        #expect(actions == ["machine.create", "machine.reschedule", "machine.reschedule", "machine.delete"])
        #expect(await runtime.definedMachines.isEmpty)
    }

    @Test("each operation records its steps as they run; a failure records the undo and the failure's code")
    func operationSteps() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        let created = try await plane.store.transaction { try $0.steps(of: 1) }
        #expect(created.map(\.name) == ["prepare files", "start container", "wait for sshd"])
        #expect(created.map(\.outcome) == [.finished, .finished, .finished])
        #expect(created.allSatisfy { $0.finishedAt != nil })
        await runtime.failStarts(on: machine.host)
        _ = try await plane.services.machines.stop(named: machine.name)
        await #expect(throws: KennelError.self) { _ = try await plane.services.machines.start(named: machine.name) }
        let stopped = try await plane.store.transaction { try $0.steps(of: 2) }
        #expect(stopped.map(\.name) == ["mark stopped", "shut down"])
        let failed = try await plane.store.transaction { try $0.steps(of: 3) }
        #expect(failed.map(\.name) == ["prepare files", "start container"])
        #expect(failed.map(\.outcome) == [.finished, .failed], "a start of an existing machine undoes nothing")
        #expect(failed.last?.error?.contains("simulated") == true, "the cause stays with the operation")
        let code = try await plane.store.read { db in try String.fetchOne(db, sql: "SELECT error_code FROM operation WHERE id = 3") }
        #expect(code == "host_failure")
    }

    @Test("a failed create's start is undone and recorded as undone")
    func createUndoRecorded() async throws {
        let runtime = FakeHostRuntime()
        await runtime.failStarts(on: TestSite.value("z1-r1-h1"))
        let plane = try await TestControlPlane.make(site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 1), runtime: runtime)
        await #expect(throws: KennelError.self) { _ = try await plane.services.machines.create(TestSite.request("web-01")) }
        let steps = try await plane.store.transaction { try $0.steps(of: 1) }
        #expect(steps.map(\.name) == ["prepare files", "start container"])
        #expect(steps.map(\.outcome) == [.undone, .undone], "the failed step and the one before it are undone, last first")
        #expect(steps.last?.error?.contains("simulated") == true)
        #expect(Array(await runtime.calls.suffix(2)).map { $0.components(separatedBy: " ").first ?? "" } == ["stop", "remove"])
        #expect(await runtime.definedMachines.isEmpty)
    }

    @Test("failed first starts never use up a pool: two failures on a two-address pool, deleted, leave both free")
    func failedCreatesGiveAddressesBack() async throws {
        let runtime = FakeHostRuntime()
        for host in ["z1-r1-h1", "z1-r1-h2", "z1-r2-h1", "z1-r2-h2", "z1-r3-h1", "z1-r3-h2"] { await runtime.failStarts(on: TestSite.value(host)) }
        for host in ["z2-r1-h1", "z2-r1-h2", "z2-r2-h1", "z2-r2-h2", "z2-r3-h1", "z2-r3-h2"] { await runtime.failStarts(on: TestSite.value(host)) }
        let plane = try await TestControlPlane.make(site: TestSite.make(cidr: "10.100.0.0/30"), runtime: runtime)
        for name in ["a-1", "a-2"] {
            await #expect(throws: KennelError.self) { _ = try await plane.services.machines.create(TestSite.request(name)) }
            try await plane.services.machines.delete(named: TestSite.value(name))
        }
        #expect(try await plane.leaseStates() == [])
    }

    @Test("delete removes the domain and the row, and quarantines the lease; a second delete is not_found")
    func delete() async throws {
        let plane = try await TestControlPlane.make()
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.services.machines.delete(named: machine.name)
        let runtime = try #require(plane.runtime as? FakeHostRuntime)
        #expect(await runtime.definedMachines.isEmpty)
        #expect(try await plane.rowCounts().machines == 0)
        #expect(try await plane.leaseStates() == [.quarantined])
        await #expect(throws: KennelError.notFound("machine", "web-01")) {
            try await plane.services.machines.delete(named: machine.name)
        }
    }

    @Test("concurrent creates for the last addresses: each address goes to exactly one machine")
    func concurrentCreates() async throws {
        let plane = try await TestControlPlane.make(site: TestSite.make(cidr: "10.100.0.0/28"))
        let results = await withTaskGroup(of: Result<Machine, any Error>.self) { group in
            for n in 1...32 {
                group.addTask { await Result(catching: { try await plane.services.machines.create(TestSite.request("m-\(n)")) }) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let created = results.compactMap { try? $0.get() }
        let exhausted = results.filter {
            if case .failure(let error) = $0 { return (error as? KennelError)?.code == .poolExhausted }
            return false
        }
        #expect(created.count == 13)
        #expect(exhausted.count == 19)
        #expect(Set(created.map(\.network.ip)).count == 13)
        #expect(try await plane.rowCounts().machines == 13)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

@Suite("Machine service: delete during provisioning")
struct DeleteWhileProvisioningTests {
    @Test("a delete that arrives while the machine is provisioned waits for it, then leaves no domain, row or lease")
    func waits() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        await runtime.holdStarts()
        let creating = Task { try await plane.services.machines.create(TestSite.request("web-01")) }
        while await !runtime.calls.contains(where: { $0.hasPrefix("startContainer web-01") }) { await Task.yield() }
        let deleting = Task { try await plane.services.machines.delete(named: Hostname(parsing: "web-01")) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await plane.services.machines.machine(named: Hostname(parsing: "web-01")).state == .provisioning)
        await runtime.releaseStarts()
        #expect(try await creating.value.state == .running)
        try await deleting.value
        #expect(await runtime.definedMachines.isEmpty)
        #expect(try await plane.rowCounts().machines == 0)
        #expect(await runtime.calls.last?.hasPrefix("remove web-01@") == true)
    }
}

@Suite("A delete that runs before a create it raced")
struct CreateAfterDeleteTests {
    // Found by CreateDeleteRaceTests under CI load: a delete takes its place in the
    // machine's line before a create claims the name, finds the claimed machine, runs
    // first and removes its row; the create's queued work must then build nothing.
    @Test("the create's host steps never run for a machine whose row is gone: conflict, no domain")
    func createFindsRowGone() async throws {
        let plane = try await TestControlPlane.make()
        let runtime = try #require(plane.runtime as? FakeHostRuntime)
        let locks = MachineLocks()
        let machines = MachineService(
            store: plane.store, runtime: runtime, images: FixedImageCatalog.simulated, locks: locks, logger: Logger.silent)
        let name: Hostname = TestSite.value("web-01")
        let earlier = await locks.enqueue(name)
        let handle = try await machines.submitCreate(TestSite.request("web-01"))
        try await plane.store.transaction { try $0.deleteMachine(named: name, releasingAt: Date()) }
        await locks.release(earlier)
        await #expect {
            _ = try await handle.result()
        } throws: { error in
            (error as? KennelError)?.code == .conflict
        }
        #expect(await runtime.definedMachines.isEmpty)
        #expect(await !runtime.calls.contains { $0.hasPrefix("prepare") || $0.hasPrefix("start") })
    }
}
