import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("One IP per machine for life: sticky names and quarantine")
struct StickyAddressTests {
    @Test("delete and re-create web-01: it gets its old address back")
    func sameNameSameAddress() async throws {
        let plane = try await TestControlPlane.make()
        _ = try await plane.services.machines.create(TestSite.request("other"))
        let first = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.services.machines.delete(named: first.name)
        let again = try await plane.services.machines.create(TestSite.request("web-01"))
        #expect(again.network.ip == first.network.ip)
        #expect(again.network.mac == first.network.mac)
        #expect(try await plane.leaseStates() == [.active, .active])
    }

    @Test("a different name never gets a quarantined address")
    func otherNameOtherAddress() async throws {
        let plane = try await TestControlPlane.make()
        let web01 = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.services.machines.delete(named: web01.name)
        let web02 = try await plane.services.machines.create(TestSite.request("web-02"))
        #expect(web02.network.ip != web01.network.ip)
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("web-03", ip: web01.network.ip.description))
        } throws: { error in
            (error as? KennelError)?.code == .ipInUse && (error as? KennelError)?.message.contains("quarantined") == true
        }
    }

    @Test(
        "a name never holds two addresses: asking for another while its old one rests is 409 naming ip, and writes nothing",
        arguments: ["10.100.0.9", nil])
    func oneAddressPerName(otherIP: String?) async throws {
        let plane = try await TestControlPlane.make()
        let first = try await plane.services.machines.create(TestSite.request("sticky1"))
        try await plane.services.machines.delete(named: first.name)
        if let otherIP {
            let before = try await plane.rowCounts()
            await #expect {
                _ = try await plane.services.machines.create(TestSite.request("sticky1", ip: otherIP))
            } throws: { error in
                let error = error as? KennelError
                return error?.code == .ipInUse && error?.field == "ip"
                    && error?.message.contains("sticky1 still holds \(first.network.ip) in pool pool-a") == true
            }
            #expect(try await plane.rowCounts() == before)
            #expect(try await plane.leaseStates() == [.quarantined])
        }
        let again = try await plane.services.machines.create(TestSite.request("sticky1", ip: otherIP == nil ? nil : first.network.ip.description))
        #expect(again.network.ip == first.network.ip)
        #expect(try await plane.leaseStates() == [.active])
    }

    @Test("once the quarantine ran out the name holds nothing, and may ask for any free address")
    func expiredQuarantineHoldsNothing() async throws {
        let clock = TestClock()
        let plane = try await TestControlPlane.make(clock: clock)
        let first = try await plane.services.machines.create(TestSite.request("sticky1"))
        try await plane.services.machines.delete(named: first.name)
        clock.advance(by: 86_400)
        let again = try await plane.services.machines.create(TestSite.request("sticky1", ip: "10.100.0.9"))
        #expect(again.network.ip.description == "10.100.0.9")
        #expect(try await plane.leaseStates() == [.active])
    }

    @Test("after the quarantine period the address is free for anyone")
    func quarantineEnds() async throws {
        let clock = TestClock()
        let plane = try await TestControlPlane.make(site: TestSite.make(cidr: "10.100.0.0/29"), clock: clock)
        let web01 = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.services.machines.delete(named: web01.name)
        clock.advance(by: 86_399)
        #expect(try await plane.services.machines.create(TestSite.request("web-02")).network.ip != web01.network.ip)
        clock.advance(by: 1)
        #expect(try await plane.services.machines.create(TestSite.request("web-03")).network.ip == web01.network.ip)
    }

    @Test("a pool with quarantine 0 frees addresses at once")
    func zeroQuarantine() async throws {
        var site = TestSite.make()
        site.pools[0].quarantine = .zero
        let plane = try await TestControlPlane.make(site: site)
        let web01 = try await plane.services.machines.create(TestSite.request("web-01"))
        try await plane.services.machines.delete(named: web01.name)
        #expect(try await plane.rowCounts().leases == 0)
        #expect(try await plane.services.machines.create(TestSite.request("web-02")).network.ip == web01.network.ip)
    }

    @Test("quarantined addresses count as taken until they expire: a full pool stays full")
    func quarantineHoldsCapacity() async throws {
        let plane = try await TestControlPlane.make(site: TestSite.make(cidr: "10.100.0.0/29"))
        for n in 1...5 { _ = try await plane.services.machines.create(TestSite.request("m-\(n)")) }
        try await plane.services.machines.delete(named: TestSite.value("m-1"))
        await #expect {
            _ = try await plane.services.machines.create(TestSite.request("m-6"))
        } throws: { ($0 as? KennelError)?.code == .poolExhausted }
        #expect(try await plane.services.machines.create(TestSite.request("m-1")).network.ip.description == "10.100.0.2")
    }

    @Test("concurrent deletes of one machine release its address once")
    func concurrentDeletes() async throws {
        let plane = try await TestControlPlane.make()
        let machine = try await plane.services.machines.create(TestSite.request("web-01"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try? await plane.services.machines.delete(named: machine.name) } }
        }
        #expect(try await plane.leaseStates() == [.quarantined])
        #expect(
            try await plane.services.pools.details(named: TestSite.value("pool-a")).usage
                == PoolUsage(size: 253, used: 0, quarantined: 1, free: 252))
    }

    @Test("explicit MACs: accepted when valid and free, refused when taken or in Kennel's derived range")
    func explicitMACs() async throws {
        let plane = try await TestControlPlane.make()
        var request = TestSite.request("db-1")
        request.mac = TestSite.value("02:00:00:00:00:01")
        #expect(try await plane.services.machines.create(request).network.mac.description == "02:00:00:00:00:01")
        request.name = TestSite.value("db-2")
        await #expect { _ = try await plane.services.machines.create(request) } throws: { ($0 as? KennelError)?.code == .macInUse }
        request.mac = TestSite.value("52:54:0a:00:00:09")
        await #expect { _ = try await plane.services.machines.create(request) } throws: { ($0 as? KennelError)?.field == "mac" }
        #expect(try await plane.rowCounts().machines == 1)
        request.mac = TestSite.value("52:54:00:ab:cd:ef")
        #expect(
            try await plane.services.machines.create(request).network.mac.description == "52:54:00:ab:cd:ef",
            "a libvirt guest's MAC is kept: Kennel derives 52:54:00:… from no address a pool may hold")
    }

    @Test(
        "pools may not reach into 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0/3 (so no derived MAC is ever 52:54:00:…)",
        arguments: ["0.0.0.0/24", "0.0.0.0/1", "127.0.0.0/24", "224.0.0.0/24", "240.0.0.0/8", "128.0.0.0/1"])
    func reservedRanges(cidr: String) {
        let network: CIDR = TestSite.value(cidr)
        #expect(throws: KennelError.self) {
            try Pool(
                name: TestSite.value("p"), cidr: network, gateway: IPv4Address(network.network.value + 1), vlan: TestSite.value("100"),
                idc: TestSite.value("dc1"))
        }
    }
}
