import Foundation
import KennelLibvirt
import KennelControl
import KennelModel
import KennelTesting
import Logging
import Testing

/// Against libvirt's own test driver, in-process: real libvirt, simulated host.
@Suite("libvirt test driver")
struct LibvirtTestDriverTests {
    private func connect() async throws -> (LibvirtConnection, ComputeHost) {
        let host = try Fixtures.simulatedHost()
        return (try await LibvirtConnection.open(host.uri.text), host)
    }

    @Test("a machine's domain round-trips through libvirt with its identity, network and tuning")
    func roundTrip() async throws {
        let (connection, host) = try await connect()
        let machine = Fixtures.machine()
        let domain = try await connection.define(xml: DomainXML.render(DomainDefinition(machine: machine, host: host, paths: HostPaths())))
        #expect(try await domain.name() == "web-01")
        #expect(try await domain.uuid() == machine.uuid)
        #expect(try await domain.state() == .shutoff)
        let xml = try await domain.xml()
        for fragment in [
            "<domain type='lxc'", "<init>/usr/local/sbin/kennel-init</init>",
            "<mac address='52:54:0a:64:00:02'/>", "<source bridge='br0'/>", "<virtualport type='openvswitch'",
            "<tag id='100'/>", "<ip address='10.100.0.2' family='ipv4' prefix='24'/>",
            "gateway='10.100.0.1'", "<shares>2048</shares>", "<quota>200000</quota>", "<on_crash>restart</on_crash>",
            "<memory unit='KiB'>4194304</memory>", "<source dir='/var/lib/kennel/machines/web-01/rootfs'/>",
        ] {
            #expect(xml.contains(fragment), "libvirt lost \(fragment)")
        }
    }

    @Test("start, autostart, live bandwidth, shutdown, destroy and undefine")
    func lifecycle() async throws {
        let (connection, host) = try await connect()
        let domain = try await connection.define(xml: DomainXML.render(DomainDefinition(machine: Fixtures.machine(), host: host, paths: HostPaths())))
        try await domain.start()
        #expect(try await domain.state() == .running)
        #expect(try await domain.autostart() == false)
        try await domain.setAutostart(true)
        #expect(try await domain.autostart() == true)
        try await domain.setInterfaceBandwidth(device: "testnet0", inboundKBps: 12_500, outboundKBps: 6_250)
        try await domain.shutdown()
        #expect(try await domain.state() == .shutoff)
        try await domain.start()
        try await domain.destroy()
        #expect(try await domain.state() == .shutoff)
        await #expect {
            try await domain.destroy()
        } throws: { ($0 as? LibvirtError)?.isNotRunning == true }
        try await domain.undefine()
        #expect(try await connection.domain(named: "web-01") == nil)
        #expect(try await connection.domains().isEmpty)
    }

    @Test("the running-domain listing names running domains only")
    func runningListing() async throws {
        let (connection, host) = try await connect()
        let web01 = try await connection.define(xml: DomainXML.render(DomainDefinition(machine: Fixtures.machine(), host: host, paths: HostPaths())))
        _ = try await connection.define(
            xml: DomainXML.render(
                DomainDefinition(
                    machine: Fixtures.machine("web-02", ip: "10.100.0.3", uuid: "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5c"), host: host,
                    paths: HostPaths())))
        #expect(try await connection.runningDomainNames().filter { $0.hasPrefix("web-") }.isEmpty)
        try await web01.start()
        #expect(try await connection.runningDomainNames().filter { $0.hasPrefix("web-") } == ["web-01"])
    }

    @Test("libvirt failures arrive as LibvirtError with libvirt's code and message")
    func errors() async throws {
        let (connection, _) = try await connect()
        await #expect {
            _ = try await connection.define(xml: "<domain type='lxc'><name>broken</name></domain>")
        } throws: { error in
            guard let error = error as? LibvirtError else { return false }
            return error.code > 0 && !error.message.isEmpty
        }
        #expect(try await connection.domain(named: "absent") == nil)
        await #expect(throws: LibvirtError.self) { _ = try await LibvirtConnection.open("test:///no/such/file.xml") }
    }

    @Test("each simulated host is its own: a domain on one is absent on another")
    func separateHosts() async throws {
        let (first, host) = try await connect()
        let (second, _) = try await connect()
        _ = try await first.define(xml: DomainXML.render(DomainDefinition(machine: Fixtures.machine(), host: host, paths: HostPaths())))
        #expect(try await first.domain(named: "web-01") != nil)
        #expect(try await second.domain(named: "web-01") == nil)
    }
}

@Suite("libvirt host runtime")
struct LibvirtHostRuntimeTests {
    private let runtime = LibvirtHostRuntime(policy: HostURIPolicy(simulatedHosts: .any), logger: Logger.silent)

    @Test("ensureRunning defines, autostarts and starts; repeating it is harmless")
    func ensureRunning() async throws {
        let host = try Fixtures.simulatedHost()
        let machine = Fixtures.machine()
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        #expect(try await runtime.presence(of: machine, on: host) == .running)
        let domain = try #require(try await runtime.connection(to: host).domain(named: "web-01"))
        #expect(try await domain.autostart())
    }

    @Test("remove stops and undefines; removing an absent machine is a no-op")
    func remove() async throws {
        let host = try Fixtures.simulatedHost()
        let machine = Fixtures.machine()
        try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host)
        try await runtime.remove(machine, from: host)
        try await runtime.remove(machine, from: host)
        #expect(try await runtime.presence(of: machine, on: host) == .absent)
    }

    @Test("many machines started concurrently on one simulated host all run")
    func concurrent() async throws {
        let host = try Fixtures.simulatedHost()
        let machines = (2..<34).map { n in
            Fixtures.machine("m-\(n)", ip: "10.100.0.\(n)", uuid: String(format: "00000000-0000-4000-8000-%012d", n))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for machine in machines { group.addTask { try await runtime.ensureRunning(MachineLaunch(machine: machine, pool: nil), on: host) } }
            try await group.waitForAll()
        }
        let connection = try await runtime.connection(to: host)
        #expect(try await connection.domains().count == machines.count)
        for machine in machines {
            #expect(try await runtime.presence(of: machine, on: host) == .running)
        }
    }
}
