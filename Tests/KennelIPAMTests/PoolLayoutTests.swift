import KennelIPAM
import KennelModel
import Testing

@Suite("Pool layout: what may be handed out")
struct PoolLayoutTests {
    static func pool(_ cidr: String, gateway: String, ranges: [String] = [], exclude: [String] = []) throws -> Pool {
        try Pool(
            name: Hostname(parsing: "p"), cidr: CIDR(parsing: cidr), gateway: IPv4Address(parsing: gateway),
            vlan: VLANID(100), idc: Hostname(parsing: "dc1"),
            ranges: ranges.map { try AddressRange(parsing: $0) }, exclusions: exclude.map { try AddressRange(parsing: $0) })
    }

    /// Hands out addresses lowest first until none are left.
    static func drain(_ layout: PoolLayout) throws -> [String] {
        let runs = InMemoryFreeRuns(layout.allocatable)
        var handed: [String] = []
        while let next = try AddressAllocator.takeLowest(from: runs) { handed.append(IPv4Address(next).description) }
        return handed
    }

    @Test("a /29 hands out exactly its usable addresses: not network, broadcast or gateway")
    func slash29() throws {
        let layout = PoolLayout(pool: try Self.pool("192.168.1.8/29", gateway: "192.168.1.9"))
        #expect(layout.size == 5)
        #expect(try Self.drain(layout) == ["192.168.1.10", "192.168.1.11", "192.168.1.12", "192.168.1.13", "192.168.1.14"])
    }

    @Test("exclusions and a gateway inside a range are never handed out")
    func exclusions() throws {
        let layout = PoolLayout(
            pool: try Self.pool("10.0.0.0/24", gateway: "10.0.0.12", ranges: ["10.0.0.10-10.0.0.20"], exclude: ["10.0.0.11", "10.0.0.14-10.0.0.18"]))
        #expect(try Self.drain(layout) == ["10.0.0.10", "10.0.0.13", "10.0.0.19", "10.0.0.20"])
        #expect(layout.size == 4)
    }

    @Test("several ranges are used lowest first")
    func severalRanges() throws {
        let layout = PoolLayout(pool: try Self.pool("10.0.0.0/24", gateway: "10.0.0.1", ranges: ["10.0.0.200-10.0.0.201", "10.0.0.50-10.0.0.51"]))
        #expect(try Self.drain(layout) == ["10.0.0.50", "10.0.0.51", "10.0.0.200", "10.0.0.201"])
    }

    @Test("a /24 has 253 addresses to hand out")
    func slash24() throws {
        let all = try Self.drain(PoolLayout(pool: try Self.pool("10.100.0.0/24", gateway: "10.100.0.1")))
        #expect(all.count == 253)
        #expect(all.first == "10.100.0.2")
        #expect(all.last == "10.100.0.254")
    }

    @Test(
        "allocatable: in a range, not excluded, not the gateway",
        arguments: [
            ("10.0.0.0", false), ("10.0.0.1", false), ("10.0.0.2", true), ("10.0.0.7", false), ("10.0.0.254", true), ("10.0.0.255", false),
            ("10.0.1.2", false),
        ])
    func allocatable(address: String, expected: Bool) throws {
        let layout = PoolLayout(pool: try Self.pool("10.0.0.0/24", gateway: "10.0.0.1", exclude: ["10.0.0.7"]))
        #expect(layout.isAllocatable(try IPv4Address(parsing: address)) == expected)
    }

    @Test("free runs leave out every leased address")
    func freeRuns() throws {
        let layout = PoolLayout(pool: try Self.pool("10.0.0.0/29", gateway: "10.0.0.1"))
        let free = layout.freeRuns(taken: try ["10.0.0.3", "10.0.0.5"].map { try IPv4Address(parsing: $0) })
        #expect(
            free.ranges.map { "\(IPv4Address($0.lowerBound))-\(IPv4Address($0.upperBound))" } == [
                "10.0.0.2-10.0.0.2", "10.0.0.4-10.0.0.4", "10.0.0.6-10.0.0.6",
            ])
    }
}

@Suite("Interval sets")
struct IntervalSetTests {
    @Test("normalising merges overlapping and adjacent ranges")
    func normalise() {
        #expect(IntervalSet([5...7, 1...2, 3...3, 10...12, 11...20]).ranges == [1...3, 5...7, 10...20])
    }

    @Test(
        "subtraction cuts holes at the edges and in the middle",
        arguments: [
            ([1...10], [1...1], [2...10]), ([1...10], [10...10], [1...9]), ([1...10], [4...6], [1...3, 7...10]),
            ([1...10], [0...20], []), ([1...3, 7...9], [2...8], [1...1, 9...9]), ([1...10], [], [1...10]),
        ] as [([ClosedRange<UInt32>], [ClosedRange<UInt32>], [ClosedRange<UInt32>])])
    func subtract(base: [ClosedRange<UInt32>], holes: [ClosedRange<UInt32>], expected: [ClosedRange<UInt32>]) {
        #expect(IntervalSet(base).subtracting(IntervalSet(holes)).ranges == expected)
    }
}
