import Foundation
import GRDB
import KennelControl
import KennelModel
@testable import KennelStore
import KennelTesting
import Testing

@Suite("SQLite store")
struct SQLiteMachineStoreTests {
    private func machine(_ name: String, ip: String, host: String = "z1-r1-h1", uuid: UUID = UUID()) -> Machine {
        let address: IPv4Address = TestSite.value(ip)
        return Machine(
            name: TestSite.value(name), uuid: uuid, state: .provisioning,
            spec: MachineSpec(cpus: .one, memory: .gibibytes(1), disk: .gibibytes(10), image: .defaultImage, ingress: .megabits(100)),
            host: TestSite.value(host),
            location: SiteLocation(idc: TestSite.value("dc1"), zone: TestSite.value("z1"), rack: TestSite.value("r1")),
            network: MachineNetwork(
                pool: TestSite.value("pool-a"), ip: address, prefix: 24, gateway: TestSite.value("10.100.0.1"),
                vlan: TestSite.value("100"), mac: MACAddress(derivedFrom: address)),
            service: TestSite.value("web"), owner: nil, createdAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    private func loadedStore() async throws -> SQLiteMachineStore {
        let store = try SQLiteMachineStore.inMemory()
        try await store.transaction { try $0.apply(TestSite.make()) }
        return store
    }

    @Test("migrations are numbered and all applied")
    func migrations() throws {
        #expect(
            try SQLiteMachineStore.inMemory().appliedMigrations() == [
                "v1-topology-pools-machines", "v2-machine-ssh-keys", "v3-lease-carried-traffic", "v4-operation-steps",
                "v5-access-audit-operations-events", "v6-volumes-disk-io", "v7-machine-filesystem",
                "v8-memory-soft-swap", "v9-bandwidth-overcommit", "v10-probe-addresses-operation-results", "v11-user-keys-host-keys",
                "v12-access-grants", "v13-machine-sources", "v14-machine-imported-state", "v15-import-rows",
            ])
    }

    @Test("v14 rebuilds the machine table for state imported: rows, sources and usage survive; triggers and cascades still work")
    func importedStateMigration() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-v14-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let written = machine("web-01", ip: "10.100.0.2")
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            let old = try DatabaseQueue(path: path, configuration: configuration)
            try Migrations.migrator.migrate(old, upTo: "v13-machine-sources")
            try await old.write { db in
                let store = SQLiteTransaction(db)
                try store.apply(TestSite.make())
                #expect(try store.takeFreeAddress(written.network.ip, in: written.network.pool))
                try store.insert(written, reusingLease: false)
                try store.setSource("id:1", of: written.name)
                #expect(throws: DatabaseError.self, "v13 refuses the new state") { try store.setState(.imported, failure: nil, of: written.name) }
            }
        }
        let store = try SQLiteMachineStore(path: path)
        #expect(try store.appliedMigrations().suffix(2) == ["v14-machine-imported-state", "v15-import-rows"])
        #expect(try await store.machine(named: written.name) == written)
        #expect(try await store.snapshot { try $0.machineSources() } == ["id:1": written.name])
        #expect(try await store.snapshot { try $0.usage(of: written.host) } == written.spec.resources)
        try await store.transaction { try $0.setState(.imported, failure: nil, of: written.name) }
        #expect(try await store.machine(named: written.name)?.state == .imported)
        let second = machine("web-02", ip: "10.100.0.3")
        try await store.transaction { store in
            _ = try store.takeFreeAddress(second.network.ip, in: second.network.pool)
            try store.insert(second, reusingLease: false)
        }
        #expect(try await store.snapshot { try $0.usage(of: written.host) } == written.spec.resources + second.spec.resources, "insert trigger")
        try await store.transaction { try $0.deleteMachine(named: written.name, releasingAt: Date()) }
        #expect(try await store.snapshot { try $0.usage(of: written.host) } == second.spec.resources, "delete trigger")
        #expect(try await store.snapshot { try $0.machineSources() }.isEmpty, "the source went with its machine")
    }

    @Test("a machine reads back exactly as written, with its rack from its host")
    func roundTrip() async throws {
        let store = try await loadedStore()
        let written = machine("web-01", ip: "10.100.0.2")
        try await store.transaction { try $0.insert(written, reusingLease: false) }
        #expect(try await store.machine(named: TestSite.value("web-01")) == written)
        #expect(try await store.machines().count == 1)
    }

    @Test("a new spec with IO limits and a grown disk reads back; a host keeps its volume driver")
    func specAndVolumes() async throws {
        let store = try await loadedStore()
        let written = machine("web-01", ip: "10.100.0.2")
        try await store.transaction { try $0.insert(written, reusingLease: false) }
        var spec = written.spec
        spec.disk = .gibibytes(40)
        spec.diskIO = DiskIOLimits(readBytesPerSecond: 1 << 20, writeIOPS: 300)
        try await store.transaction { [spec] in try $0.setSpec(spec, of: written.name) }
        #expect(try await store.machine(named: written.name)?.spec == spec)

        let hostName: Hostname = TestSite.value("z1-r1-h1")
        guard var host = try await store.host(named: hostName) else {
            Issue.record("the test site has no host z1-r1-h1")
            return
        }
        #expect(host.volumes == .standard)
        host.volumes = .lvm(volumeGroup: "kennel", thinPool: "pool")
        try await store.transaction { [host] in try $0.save(host) }
        #expect(try await store.host(named: hostName)?.volumes == .lvm(volumeGroup: "kennel", thinPool: "pool"))
    }

    @Test("the database refuses a second machine with the same name")
    func uniqueName() async throws {
        let store = try await loadedStore()
        try await store.transaction { try $0.insert(self.machine("web-01", ip: "10.100.0.2"), reusingLease: false) }
        await #expect(throws: KennelError(.nameTaken, "a machine with that name exists already", field: "name")) {
            try await store.transaction { try $0.insert(self.machine("web-01", ip: "10.100.0.3"), reusingLease: false) }
        }
        #expect(try await store.machines().map(\.network.ip.description) == ["10.100.0.2"])
    }

    @Test("the database refuses a second lease of one address in one pool, and rolls the machine back")
    func uniqueLease() async throws {
        let store = try await loadedStore()
        try await store.transaction { try $0.insert(self.machine("web-01", ip: "10.100.0.2"), reusingLease: false) }
        await #expect {
            try await store.transaction { try $0.insert(self.machine("web-02", ip: "10.100.0.2"), reusingLease: false) }
        } throws: { error in
            (error as? KennelError)?.code == .ipInUse || (error as? KennelError)?.code == .conflict
        }
        #expect(try await store.machines().map(\.name.value) == ["web-01"])
    }

    @Test(
        "constraint violations map by code and columns to the codes the normal path answers",
        arguments: [
            ("web-01", "10.100.0.3", false, "name_taken", "name"),
            ("web-02", "10.100.0.2", false, "ip_in_use", "ip"),
            ("web-02", "10.100.0.3", true, "mac_in_use", "mac"),
        ])
    func constraintCodes(name: String, ip: String, sameMAC: Bool, code: String, field: String) async throws {
        let store = try await loadedStore()
        let first = machine("web-01", ip: "10.100.0.2")
        try await store.transaction { try $0.insert(first, reusingLease: false) }
        var second = machine(name, ip: ip)
        if sameMAC {
            second = Machine(
                name: second.name, uuid: second.uuid, state: second.state, spec: second.spec, host: second.host, location: second.location,
                network: MachineNetwork(
                    pool: second.network.pool, ip: second.network.ip, prefix: 24, gateway: second.network.gateway,
                    vlan: second.network.vlan, mac: first.network.mac),
                service: second.service, owner: nil, createdAt: second.createdAt)
        }
        let racing = second
        await #expect {
            try await store.transaction { try $0.insert(racing, reusingLease: false) }
        } throws: { error in
            (error as? KennelError)?.code.rawValue == code && (error as? KennelError)?.field == field
        }
        #expect(try await store.machines().map(\.name.value) == ["web-01"])
    }

    @Test(
        "the violated columns are read from SQLite's message format, not guessed",
        arguments: [
            ("UNIQUE constraint failed: lease.pool, lease.address", ["lease.pool", "lease.address"] as [String]?),
            ("UNIQUE constraint failed: lease.mac", ["lease.mac"]), ("NOT NULL constraint failed: lease.mac", nil), (nil, nil),
        ] as [(String?, [String]?)])
    func violatedColumns(message: String?, columns: [String]?) {
        #expect(StoreErrors.violatedColumns(message) == columns)
    }

    @Test("deleting a machine that ran quarantines its lease")
    func deleteReleases() async throws {
        let store = try await loadedStore()
        try await store.transaction { try $0.insert(self.machine("web-01", ip: "10.100.0.2"), reusingLease: false) }
        try await store.transaction { try $0.setState(.running, failure: nil, of: TestSite.value("web-01")) }
        try await store.transaction { try $0.deleteMachine(named: TestSite.value("web-01"), releasingAt: Date(timeIntervalSince1970: 1_800_000_000)) }
        let leases = try await store.transaction { try $0.leases(in: TestSite.value("pool-a")) }
        #expect(leases.map(\.state) == [.quarantined])
        #expect(try await store.machines().isEmpty)
    }

    @Test("deleting a machine that never ran frees its address at once")
    func deleteNeverRan() async throws {
        let store = try await loadedStore()
        let pool: Hostname = TestSite.value("pool-a")
        let ip: IPv4Address = TestSite.value("10.100.0.2")
        try await store.transaction { transaction in
            #expect(try transaction.takeFreeAddress(ip, in: pool))
            try transaction.insert(self.machine("web-01", ip: "10.100.0.2"), reusingLease: false)
            try transaction.setState(.failed, failure: "start failed", of: TestSite.value("web-01"))
        }
        try await store.transaction { try $0.deleteMachine(named: TestSite.value("web-01"), releasingAt: Date(timeIntervalSince1970: 1_800_000_000)) }
        #expect(try await store.transaction { try $0.leases(in: pool) }.isEmpty)
        #expect(try await store.transaction { try $0.takeLowestFreeAddress(in: pool) } == ip)
    }

    @Test("applying the same site twice changes nothing")
    func idempotentSite() async throws {
        let store = try await loadedStore()
        try await store.transaction { try $0.apply(TestSite.make()) }
        #expect(try await store.hosts().count == 12)
        #expect(try await store.pools().count == 1)
        #expect(try await store.hosts().first?.vlans.map(\.value) == [100])
    }

    @Test("re-loading the site file keeps what the API changed: a drained host stays drained, an edited pool stays edited")
    func reloadKeepsChanges() async throws {
        let store = try await loadedStore()
        try await store.transaction { transaction in
            guard var host = try transaction.host(named: TestSite.value("z1-r1-h1")), var pool = try transaction.pool(named: TestSite.value("pool-a"))
            else {
                throw KennelError(.internal, "fixture missing")
            }
            host.state = .draining
            pool.quarantine = .zero
            try transaction.save(host)
            try transaction.save(pool)
        }
        var site = TestSite.make()
        site.hosts[0].uri = HostURI("fake://moved")
        let moved = site
        try await store.transaction { try $0.apply(moved) }
        let host = try #require(try await store.host(named: TestSite.value("z1-r1-h1")))
        #expect(host.state == .draining)
        #expect(host.uri.text == "fake://moved")
        #expect(try await store.pools().first?.quarantine == .zero)
    }

    @Test("placement candidates carry what each host's machines hold")
    func candidates() async throws {
        let store = try await loadedStore()
        try await store.transaction { try $0.insert(self.machine("web-01", ip: "10.100.0.2"), reusingLease: false) }
        try await store.transaction { try $0.insert(self.machine("web-02", ip: "10.100.0.3"), reusingLease: false) }
        let candidates = try await store.transaction { try $0.placementCandidates(in: TestSite.value("dc1"), service: TestSite.value("web")) }
        let busy = try #require(candidates.first { $0.host.name.value == "z1-r1-h1" })
        #expect(busy.used.cpus == 2)
        #expect(busy.used.memory == .gibibytes(2))
        #expect(busy.serviceMachines == 2)
        #expect(candidates.filter { $0.host.name.value != "z1-r1-h1" }.allSatisfy { $0.used == .zero })
    }

    @Test("a file database keeps its machines across reopening")
    func reopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("kennel.sqlite").path
        let written = machine("web-01", ip: "10.100.0.2")
        do {
            let store = try SQLiteMachineStore(path: path)
            try await store.transaction { try $0.apply(TestSite.make()) }
            try await store.transaction { try $0.insert(written, reusingLease: false) }
        }
        let reopened = try SQLiteMachineStore(path: path)
        #expect(try await reopened.machine(named: TestSite.value("web-01")) == written)
    }
}

@Suite("Host usage kept by triggers")
struct HostUsageTriggerTests {
    @Test("after inserts, deletes and moves, per-host usage and service counts equal the sums over machine rows")
    func matchesSums() async throws {
        let plane = try await TestControlPlane.make()
        let machines = plane.services.machines
        for n in 1...30 {
            _ = try await machines.create(
                TestSite.request("m-\(n)", cpus: 1 + n % 3, memory: "\(1 + n % 4)G", service: n % 2 == 0 ? "web" : (n % 3 == 0 ? "db" : nil)))
        }
        for n in stride(from: 1, through: 30, by: 4) { try await machines.delete(named: TestSite.value("m-\(n)")) }
        try await plane.store.transaction { transaction in
            let db = try #require((transaction as? SQLiteTransaction)?.db)
            try db.execute(sql: "UPDATE machine SET host = 'z2-r3-h2', service = 'db' WHERE name IN ('m-2', 'm-3')")
        }
        let mismatches = try await plane.store.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM host h
                    LEFT JOIN host_usage u ON u.host = h.name
                    LEFT JOIN (SELECT host, COUNT(*) AS n, SUM(cpus) AS c, SUM(memory_bytes) AS m, SUM(disk_bytes) AS d
                               FROM machine GROUP BY host) s ON s.host = h.name
                    WHERE COALESCE(u.machines, 0) != COALESCE(s.n, 0) OR COALESCE(u.cpus, 0) != COALESCE(s.c, 0)
                       OR COALESCE(u.memory_bytes, 0) != COALESCE(s.m, 0) OR COALESCE(u.disk_bytes, 0) != COALESCE(s.d, 0)
                    """) ?? -1
        }
        #expect(mismatches == 0)
        let serviceMismatches = try await plane.store.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (
                        SELECT host, service, COUNT(*) AS n FROM machine WHERE service IS NOT NULL GROUP BY host, service
                    ) s FULL OUTER JOIN host_service hs ON hs.host = s.host AND hs.service = s.service
                    WHERE COALESCE(hs.machines, 0) != COALESCE(s.n, 0)
                    """) ?? -1
        }
        #expect(serviceMismatches == 0)
    }
}

@Suite("Imported machines' source ids")
struct MachineSourceTests {
    @Test("a source id is one machine's, replaced on request, and goes with the machine")
    func sources() async throws {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.machines.create(TestSite.request("web-01"))
        _ = try await plane.services.machines.create(TestSite.request("web-02"))
        try await plane.store.transaction { store in try store.setSource("vsphere:vc:1", of: TestSite.value("web-01")) }
        await #expect(throws: KennelError.self) {
            try await plane.store.transaction { store in try store.setSource("vsphere:vc:1", of: TestSite.value("web-02")) }
        }
        try await plane.store.transaction { store in try store.setSource("vsphere:vc:2", of: TestSite.value("web-01")) }
        #expect(try await plane.store.snapshot { try $0.machineSources() } == ["vsphere:vc:2": TestSite.value("web-01")])
        try await plane.services.machines.delete(named: TestSite.value("web-01"))
        #expect(try await plane.store.snapshot { try $0.machineSources() }.isEmpty)
    }
}
