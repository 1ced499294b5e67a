import KennelIPAM
import KennelModel
import Testing

@Suite("First IPAM: lowest free address of a pool")
struct PoolAddressPlanTests {
    private func pool(_ cidr: String, gateway: String) throws -> Pool {
        try Pool(name: Hostname(parsing: "p"), cidr: CIDR(parsing: cidr), gateway: IPv4Address(parsing: gateway),
                 vlan: VLANID(100), idc: Hostname(parsing: "dc1"))
    }

    /// Hands out addresses one by one until the pool is full.
    private func drain(_ plan: PoolAddressPlan) -> [String] {
        var taken: [IPv4Address] = []
        while let next = plan.lowestFree(taken: taken) {
            taken.append(next)
            taken.sort()
        }
        return taken.map(\.description)
    }

    @Test("a /29 hands out exactly its usable addresses: not network, broadcast or gateway")
    func slash29() throws {
        let plan = PoolAddressPlan(pool: try pool("192.168.1.8/29", gateway: "192.168.1.9"))
        #expect(plan.capacity == 5)
        #expect(drain(plan) == ["192.168.1.10", "192.168.1.11", "192.168.1.12", "192.168.1.13", "192.168.1.14"])
    }

    @Test("a gateway at the top of the range is skipped too")
    func gatewayAtTop() throws {
        let plan = PoolAddressPlan(pool: try pool("192.168.1.8/29", gateway: "192.168.1.14"))
        #expect(drain(plan) == ["192.168.1.9", "192.168.1.10", "192.168.1.11", "192.168.1.12", "192.168.1.13"])
    }

    @Test("a /24 has 253 addresses to hand out and none after")
    func slash24() throws {
        let plan = PoolAddressPlan(pool: try pool("10.100.0.0/24", gateway: "10.100.0.1"))
        let all = drain(plan)
        #expect(all.count == 253)
        #expect(all.first == "10.100.0.2")
        #expect(all.last == "10.100.0.254")
        #expect(Set(all).count == 253)
    }

    @Test("a released address in the middle is the next one handed out")
    func reusesGaps() throws {
        let plan = PoolAddressPlan(pool: try pool("10.0.0.0/24", gateway: "10.0.0.1"))
        let taken = try ["10.0.0.2", "10.0.0.3", "10.0.0.5"].map { try IPv4Address(parsing: $0) }
        #expect(plan.lowestFree(taken: taken)?.description == "10.0.0.4")
    }

    @Test("allocatable: inside the subnet, not network, broadcast or gateway", arguments: [
        ("10.0.0.0", false), ("10.0.0.1", false), ("10.0.0.2", true), ("10.0.0.254", true), ("10.0.0.255", false), ("10.0.1.2", false),
    ])
    func allocatable(address: String, expected: Bool) throws {
        let plan = PoolAddressPlan(pool: try pool("10.0.0.0/24", gateway: "10.0.0.1"))
        #expect(plan.isAllocatable(try IPv4Address(parsing: address)) == expected)
    }

    @Test("/31 and /32 pools have nothing to hand out")
    func tinyPools() throws {
        #expect(PoolAddressPlan(pool: try pool("10.0.0.0/31", gateway: "10.0.0.0")).lowestFree(taken: []) == nil)
        #expect(PoolAddressPlan(pool: try pool("10.0.0.7/32", gateway: "10.0.0.7")).capacity == 0)
    }
}
