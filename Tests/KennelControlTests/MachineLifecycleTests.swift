import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Machine service: start, stop, restart, sshd")
struct MachineLifecycleTests {
    private func plane() async throws -> (TestControlPlane, FakeHostRuntime) {
        let runtime = FakeHostRuntime()
        return (try await TestControlPlane.make(runtime: runtime), runtime)
    }

    private let web01: Hostname = TestSite.value("web-01")

    @Test("stop keeps the machine, its address and its domain, stopped; start brings it back running")
    func stopThenStart() async throws {
        let (plane, runtime) = try await plane()
        let created = try await plane.services.machines.create(TestSite.request("web-01"))
        let stopped = try await plane.services.machines.stop(named: web01)
        #expect(stopped.state == .stopped)
        #expect(try await plane.services.machines.machine(named: web01).state == .stopped)
        #expect(await runtime.domains[created.host]?[web01] == .stopped)
        let started = try await plane.services.machines.start(named: web01)
        #expect(started.state == .running)
        #expect(started.network == created.network)
        #expect(await runtime.domains[created.host]?[web01] == .running)
        #expect(try await plane.rowCounts().operations == 3)
    }

    @Test("restart stops then starts and waits for sshd")
    func restart() async throws {
        let (plane, runtime) = try await plane()
        let created = try await plane.services.machines.create(TestSite.request("web-01"))
        _ = try await plane.services.machines.restart(named: web01)
        let calls = await runtime.calls
        #expect(
            Array(calls.suffix(4)) == [
                "stop web-01@\(created.host)", "prepareFiles web-01@\(created.host)", "startContainer web-01@\(created.host)",
                "waitForSSH web-01@\(created.host)",
            ])
    }

    @Test("a create whose sshd never answers fails with the reason, and is undone on the host")
    func sshTimeout() async throws {
        let (plane, runtime) = try await plane()
        await runtime.silenceSSH(of: web01)
        await #expect {
            try await plane.services.machines.create(TestSite.request("web-01"))
        } throws: { error in
            (error as? KennelError)?.code == .hostFailure && (error as? KennelError)?.message.contains("sshd") == true
        }
        let machine = try await plane.services.machines.machine(named: web01)
        #expect(machine.state == .failed)
        #expect(machine.failure?.contains("did not answer") == true)
        #expect(await runtime.definedMachines.isEmpty)
    }

    @Test("lifecycle requests for an unknown machine are not_found and write nothing")
    func unknown() async throws {
        let (plane, _) = try await plane()
        for action in ["start", "stop", "restart"] {
            await #expect {
                switch action {
                case "start": _ = try await plane.services.machines.start(named: web01)
                case "stop": _ = try await plane.services.machines.stop(named: web01)
                default: _ = try await plane.services.machines.restart(named: web01)
                }
            } throws: { ($0 as? KennelError)?.code == .notFound }
        }
        #expect(try await plane.rowCounts().operations == 0)
    }

    @Test("a failed machine can be started again and leaves its failure behind")
    func startFailed() async throws {
        let (plane, runtime) = try await plane()
        await runtime.silenceSSH(of: web01)
        _ = try? await plane.services.machines.create(TestSite.request("web-01"))
        let fresh = FakeHostRuntime()
        let healthy = KennelServices(store: plane.store, runtime: fresh, images: FixedImageCatalog.simulated, logger: .silent)
        let started = try await healthy.machines.start(named: web01)
        #expect(started.state == .running)
        #expect(try await plane.services.machines.machine(named: web01).failure == nil)
    }

    @Test("the launch carries the pool's DNS and search domain, and the request's SSH keys")
    func launch() async throws {
        let (plane, runtime) = try await plane()
        let key = try SSHPublicKey(parsing: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtij/UoVgi14C434aZnXblEySoBr170tI861YIeoYPD ops@bastion")
        _ = try await plane.services.pools.update(
            named: Hostname(parsing: "pool-a"),
            with: RequestFields(
                [("dns", "10.0.0.53,10.0.0.54"), ("search_domain", "corp.example")], allowed: ["dns", "search_domain"]))
        var request = TestSite.request("web-01")
        request.sshKeys = [key]
        _ = try await plane.services.machines.create(request)
        let launch = try #require(await runtime.launches[web01])
        #expect(launch.dns.map(\.description) == ["10.0.0.53", "10.0.0.54"])
        #expect(launch.searchDomain?.description == "corp.example")
        #expect(launch.machine.sshKeys == [key])
        #expect(try await plane.services.machines.machine(named: web01).sshKeys == [key])
    }

    @Test("health comes from the host for running and stopped machines")
    func health() async throws {
        let (plane, _) = try await plane()
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        #expect(await plane.services.machines.health(of: machine)?.sshd == .up)
        let stopped = try await plane.services.machines.stop(named: web01)
        #expect(await plane.services.machines.health(of: stopped) == .stopped)
    }
}

@Suite("Reconciler while serving")
struct RunningReconcileTests {
    /// A control plane on a fake runtime with web-01 running and web-02 stopped.
    static func oneRunningOneStopped() async throws -> (FakeHostRuntime, TestControlPlane, running: Machine, stopped: Machine) {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let running = try await plane.services.machines.create(TestSite.request("web-01"))
        let stopped = try await plane.services.machines.create(TestSite.request("web-02"))
        _ = try await plane.services.machines.stop(named: stopped.name)
        return (runtime, plane, running, stopped)
    }

    @Test("a running machine whose container died is started again; a stopped one is left alone")
    func restartsCrashed() async throws {
        let (runtime, plane, crashed, parked) = try await Self.oneRunningOneStopped()
        await runtime.crash(crashed.name, on: crashed.host)
        let report = try await plane.services.reconciler.reconcile(.running)
        #expect(report.restored == [crashed.name])
        #expect(await runtime.domains[crashed.host]?[crashed.name] == .running)
        #expect(await runtime.domains[parked.host]?[parked.name] == .stopped)
    }

    @Test("a running machine whose port rules or shaping went missing gets them back; a stopped one is not checked")
    func repairsNetwork() async throws {
        let (runtime, plane, web01, parked) = try await Self.oneRunningOneStopped()
        await runtime.setDriftedNetwork([web01.name, parked.name])
        let report = try await plane.services.reconciler.reconcile(.running)
        #expect(report.networkRepaired == [web01.name])
        #expect(await runtime.networkRepairs == [web01.name])
        #expect(try await plane.services.reconciler.reconcile(.running).networkRepaired.isEmpty, "repaired once, then in line")
    }

    @Test("each pass caps the tasks of the running machines of a host at their own limits (one per 128 KiB of memory)")
    func capsTasks() async throws {
        let (runtime, plane, web01, parked) = try await Self.oneRunningOneStopped()
        _ = try await plane.services.reconciler.reconcile(.running)
        let limits = await runtime.taskLimits[web01.host] ?? [:]
        #expect(limits[web01.name] == Int(web01.spec.memory.bytes / 131_072))
        #expect(limits[parked.name] == nil, "a stopped machine has no container")
    }

    @Test("a pass lists each host once and looks up only the machines that differ")
    func oneListingPerHost() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        var machines: [Machine] = []
        for n in 1...20 { machines.append(try await plane.services.machines.create(TestSite.request("m-\(n)"))) }
        let hosts = Set(machines.map(\.host))
        let (listingsBefore, lookupsBefore) = (await runtime.listings, await runtime.presenceLookups)
        #expect(try await plane.services.reconciler.reconcile(.running).restored.isEmpty)
        #expect(await runtime.listings - listingsBefore == hosts.count)
        #expect(await runtime.presenceLookups - lookupsBefore == 0, "all run: nothing to look up one by one")

        await runtime.crash(machines[3].name, on: machines[3].host)
        let report = try await plane.services.reconciler.reconcile(.running)
        #expect(report.restored == [machines[3].name])
        #expect(await runtime.presenceLookups - lookupsBefore == 1, "only the crashed machine is looked up")
    }

    @Test("machines being provisioned are their request's business while serving")
    func skipsProvisioning() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.store.transaction { try $0.setState(.provisioning, failure: nil, of: machine.name) }
        await runtime.crash(machine.name, on: machine.host)
        #expect(try await plane.services.reconciler.reconcile(.running).restored.isEmpty)
        #expect(try await plane.services.reconciler.reconcile(.startup).restored == [machine.name])
    }
}
