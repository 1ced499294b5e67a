import Foundation
import KennelModel
import KennelTesting

/// Machines made in memory for the pure list tests.
enum TestMachines {
    static func make(_ name: String, ip: String, service: String? = nil, memoryGiB: UInt64 = 1) -> Machine {
        let address = TestSite.value(ip) as IPv4Address
        return Machine(
            name: TestSite.value(name), uuid: UUID(), state: .running,
            spec: MachineSpec(cpus: .one, memory: .gibibytes(memoryGiB), disk: .gibibytes(10), image: .defaultImage), host: TestSite.value("h1"),
            location: SiteLocation(idc: TestSite.value("dc1"), zone: TestSite.value("z1"), rack: TestSite.value("r1")),
            network: MachineNetwork(
                pool: TestSite.value("p"), ip: address, prefix: 24, gateway: TestSite.value("10.0.0.1"), vlan: TestSite.value("100"),
                mac: TestSite.value("52:54:00:00:00:01")),
            service: service.map { TestSite.value($0) }, owner: nil, createdAt: Date(timeIntervalSince1970: 0))
    }
}
