import Foundation
@testable import KennelHost
import KennelModel
import Testing

@Suite("Network audit: which running machines lost their port rules or shaping")
struct NetworkAuditTests {
    private let uuid = UUID(uuid: (0x6f, 0x1c, 0x2a, 0x34, 0x5b, 0x6d, 0x4e, 0x7f, 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b))
    private let other = UUID(uuid: (0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55))

    private var interfaces: String {
        """
        {"data":[["br0",65534,["map",[]]],["vnet3",7,["map",[["attached-mac","52:54:0a:64:00:02"],["vm-id","\(uuid.uuidString.lowercased())"]]]],
        ["e2e-v100",2,["map",[]]]],"headings":["name","ofport","external_ids"]}
        """
    }

    private let flows = """
        NXST_FLOW reply (xid=0x4):
         cookie=0x6f1c2a345b6d4e7f, duration=1.2s, table=0, n_packets=3, n_bytes=180, priority=300,arp,in_port=7,dl_src=52:54:0a:64:00:02,arp_spa=10.100.0.2,arp_sha=52:54:0a:64:00:02 actions=NORMAL
         cookie=0x6f1c2a345b6d4e7f, duration=1.2s, table=0, n_packets=0, n_bytes=0, priority=290,in_port=7 actions=drop
         cookie=0x0, duration=99.1s, table=0, n_packets=447534, n_bytes=485650142, priority=0 actions=NORMAL
        """

    private let qdiscs = """
        qdisc noqueue 0: dev lo root refcnt 2
        qdisc htb 1: dev vnet3 root refcnt 2 r2q 10 default 0x1 direct_packets_stat 0 direct_qlen 1000
        qdisc noqueue 0: dev vnet4 root refcnt 2
        """

    private func expectation(cookie: UInt64 = 0x6f1c_2a34_5b6d_4e7f, shaped: Bool) throws -> PortExpectation {
        PortExpectation(
            uuid: uuid,
            portGuard: PortGuard(mac: try MACAddress(parsing: "52:54:0a:64:00:02"), ip: try IPv4Address(parsing: "10.100.0.2"), cookie: cookie),
            shapedInbound: shaped)
    }

    @Test("listings parse: ports by vm-id, rules by cookie and port, htb roots by device")
    func parsing() {
        #expect(NetworkAudit.ports(inInterfaceListing: interfaces) == [uuid: NetworkAudit.Port(device: "vnet3", number: 7)])
        #expect(NetworkAudit.rules(inFlowDump: flows) == ["0x6f1c2a345b6d4e7f@7"])
        #expect(NetworkAudit.shapedDevices(inQdiscListing: qdiscs) == ["vnet3"])
        #expect(NetworkAudit.ports(inInterfaceListing: "not json").isEmpty)
    }

    @Test(
        "a machine drifts when its rules are not on its port now, or its inbound shaping is not what it should be",
        arguments: [
            (UInt64(0x6f1c_2a34_5b6d_4e7f), true, false), (UInt64(0x6f1c_2a34_5b6d_4e7f), false, true), (UInt64(0xdead), true, true),
        ])
    func drift(cookie: UInt64, shaped: Bool, drifted: Bool) throws {
        let found = NetworkAudit.drifted(
            [try expectation(cookie: cookie, shaped: shaped)], ports: NetworkAudit.ports(inInterfaceListing: interfaces),
            rules: NetworkAudit.rules(inFlowDump: flows), shaped: NetworkAudit.shapedDevices(inQdiscListing: qdiscs))
        #expect(found == (drifted ? [uuid] : []))
    }

    @Test("a machine without a port here (not running) is not reported")
    func notRunning() throws {
        let missing = PortExpectation(uuid: other, portGuard: try expectation(shaped: false).portGuard, shapedInbound: false)
        #expect(NetworkAudit.drifted([missing], ports: [:], rules: [], shaped: []).isEmpty)
    }
}
