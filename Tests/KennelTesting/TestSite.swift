import Foundation
import KennelControl
import KennelModel

/// Builds small sites for tests: one IDC `dc1`, zones of racks of hosts, one pool.
public enum TestSite {
    /// Parses a literal that the test knows is valid; a typo fails the test loudly.
    public static func value<Value: ParsableValue>(_ text: String, as type: Value.Type = Value.self) -> Value {
        do {
            return try Value(parsing: text)
        } catch {
            preconditionFailure("test literal '\(text)' is not a valid \(Value.self): \(error.reason)")
        }
    }

    /// A site with `zones` zones × `racks` racks × `hostsPerRack` hosts named
    /// `z1-r1-h1`…, each with `cpus`/`memory`/`disk`, trunking VLAN 100, and pool `pool-a`
    /// on `cidr` (gateway the first address) serving every zone.
    public static func make(
        zones: Int = 2, racks: Int = 3, hostsPerRack: Int = 2,
        cpus: Int = 8, memory: String = "32G", disk: String = "500G",
        cidr: String = "10.100.0.0/24", uri: (Hostname) -> String = { "fake://\($0)" }
    ) -> Site {
        let idc: Hostname = value("dc1")
        var zoneKeys: [ZoneKey] = []
        var rackLocations: [SiteLocation] = []
        var hosts: [ComputeHost] = []
        for z in 1...zones {
            let zone: Hostname = value("z\(z)")
            zoneKeys.append(ZoneKey(idc: idc, zone: zone))
            for r in 1...racks {
                let location = SiteLocation(idc: idc, zone: zone, rack: value("r\(r)"))
                rackLocations.append(location)
                for h in 0..<hostsPerRack {
                    let name: Hostname = value("z\(z)-r\(r)-h\(h + 1)")
                    hosts.append(
                        ComputeHost(
                            name: name, uri: uri(name), location: location,
                            capacity: Resources(cpus: cpus, memory: value(memory), disk: value(disk)),
                            bridge: "br0", vlans: [value("100")]
                        ))
                }
            }
        }
        let network: CIDR = value(cidr)
        let pool: Pool
        do {
            pool = try Pool(
                name: value("pool-a"), cidr: network, gateway: IPv4Address(network.network.value + 1),
                vlan: value("100"), idc: idc)
        } catch {
            preconditionFailure("test pool is invalid: \(error)")
        }
        return Site(zones: zoneKeys, racks: rackLocations, hosts: hosts, pools: [pool])
    }

    /// A machine request with test defaults.
    public static func request(
        _ name: String, idc: String = "dc1", zone: String? = nil, cpus: Int = 1, memory: String = "1G",
        disk: String = "10G", service: String? = nil, ip: String? = nil
    ) -> MachineRequest {
        MachineRequest(
            name: value(name), idc: value(idc), zone: zone.map { value($0) },
            spec: MachineSpec(cpus: value(String(cpus)), memory: value(memory), disk: value(disk), image: .defaultImage),
            service: service.map { value($0) }, ip: ip.map { value($0) }
        )
    }
}

extension ServiceEnvironment {
    /// A test clock (fixed until advanced) and sequential UUIDs, for repeatable tests.
    public static func fixed(_ clock: TestClock = TestClock()) -> ServiceEnvironment {
        let counter = Counter()
        return ServiceEnvironment(
            now: { clock.now },
            makeUUID: {
                let n = counter.next()
                return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", n)) ?? UUID()
            }
        )
    }
}

/// A clock that stands still until a test moves it.
public final class TestClock: @unchecked Sendable {
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    private let lock = NSLock()

    public init() {}

    /// The current test time.
    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves time forward.
    public func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }
}

/// A thread-safe counter.
public final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    public init() {}

    /// One more: 1 the first time.
    public func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
