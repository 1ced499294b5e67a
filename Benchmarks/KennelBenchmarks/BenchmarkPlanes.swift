import Foundation
import KennelControl
import KennelImport
import KennelStore
import KennelTesting

/// The large site the import and console benchmarks share: 100 hosts in two zones, a /15
/// pool, and a SQLite file in a scratch folder, as `kennel serve` keeps it.
enum BenchmarkPlanes {
    /// A control plane over a fresh SQLite file in `directory` (made here).
    static func large(in directory: URL) async throws -> TestControlPlane {
        let site = TestSite.make(zones: 2, racks: 5, hostsPerRack: 10, cpus: 4096, memory: "8T", disk: "1000T", cidr: "10.64.0.0/15")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteMachineStore(path: directory.appendingPathComponent("kennel.sqlite").path)
        return try await TestControlPlane.make(site: site, store: store)
    }

    /// The map for `RVToolsSample` files: clusters to zones, sizes rounded, templates skipped.
    static let rvtoolsMap = SourceFile(
        name: "map.yaml",
        bytes: Array(
            """
            places:
              - {match: {datacenter: DC1, cluster: Prod-A}, idc: dc1, zone: z1}
              - {match: {datacenter: DC1, cluster: Prod-B}, idc: dc1, zone: z2}
            sizes: {memory: {round_to: 256M}, disk: {round_to: 1G}}
            owner: {column: Owner}
            skip: {names: ["^vCLS-"]}
            """.utf8))
}
