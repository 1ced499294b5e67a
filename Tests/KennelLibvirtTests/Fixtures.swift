import Foundation
import KennelLibvirt
import KennelModel
import KennelTesting

/// Machines and simulated hosts for the libvirt tests.
enum Fixtures {
    static func machine(_ name: String = "web-01", ip: String = "10.100.0.2", cpus: Int = 2, uuid: String = "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b")
        -> Machine
    {
        let address: IPv4Address = TestSite.value(ip)
        return Machine(
            name: TestSite.value(name), uuid: UUID(uuidString: uuid) ?? UUID(), state: .provisioning,
            spec: MachineSpec(cpus: TestSite.value(String(cpus)), memory: .gibibytes(4), disk: .gibibytes(20), image: .defaultImage),
            host: TestSite.value("h1"),
            location: SiteLocation(idc: TestSite.value("dc1"), zone: TestSite.value("z1"), rack: TestSite.value("r1")),
            network: MachineNetwork(
                pool: TestSite.value("pool-a"), ip: address, prefix: 24, gateway: TestSite.value("10.100.0.1"),
                vlan: TestSite.value("100"), mac: MACAddress(derivedFrom: address)),
            service: nil, owner: nil, createdAt: Date(timeIntervalSince1970: 0)
        )
    }

    /// A simulated host in a fresh temporary directory: its own libvirt test-driver node.
    static func simulatedHost(_ name: String = "h1") throws -> ComputeHost {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-sim-\(UUID())")
        let uri = try SimulatedHost.prepare(name: TestSite.value(name), cpus: 8, memory: .gibibytes(32), in: directory)
        return ComputeHost(
            name: TestSite.value(name), uri: uri,
            location: SiteLocation(idc: TestSite.value("dc1"), zone: TestSite.value("z1"), rack: TestSite.value("r1")),
            capacity: Resources(cpus: 8, memory: .gibibytes(32), disk: .gibibytes(500)), bridge: "br0", vlans: [TestSite.value("100")]
        )
    }
}
