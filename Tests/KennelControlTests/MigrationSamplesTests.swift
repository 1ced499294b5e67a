import Foundation
import KennelControl
import KennelImport
import KennelModel
import KennelTesting
import Testing

/// The samples and maps in `Migration/` plan clean against a site like the demo's (IDC
/// dc1, zones z1 and z2, a pool on 10.100.0.0/24): what the README walks through works.
@Suite("Migration samples: each plans clean with its map")
struct MigrationSamplesTests {
    static let migration = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Migration")

    private func file(_ path: String) throws -> SourceFile {
        let url = Self.migration.appendingPathComponent(path)
        return SourceFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
    }

    @Test(
        "each sample set plans clean: its creates and skips, with the names, addresses and places the map gives",
        arguments: [
            (["samples/rvtools-4x-vInfo.csv"], "rvtools", ["web01": "10.100.0.21", "web-02": "10.100.0.22", "db-01": "10.100.0.23"], 3),
            (["samples/rvtools-4x.xlsx"], "rvtools", ["web01": "10.100.0.21", "web-02": "10.100.0.22", "db-01": "10.100.0.23"], 3),
            (["samples/rvtools-3x-vInfo.csv", "samples/rvtools-3x-vNetwork.csv"], "rvtools", ["app-31": "10.100.0.31", "app-32": "10.100.0.32"], 0),
            (["samples/rvtools-export-vInfo.csv"], "rvtools", ["cache-41": "10.100.0.41", "cache-42": "10.100.0.42"], 0),
            (
                ["samples/netbox-virtual-machines.csv", "samples/netbox-ip-addresses.csv"], "netbox",
                ["nb-web-51": "10.100.0.51", "nb-db-52": "10.100.0.52"], 1
            ),
            (
                ["samples/netbox-virtual-machines.json", "samples/netbox-ip-addresses.json"], "netbox",
                ["nbj-web-61": "10.100.0.61", "nbj-web-62": "10.100.0.62", "nbj-db-63": "10.100.0.63"], 0
            ),
            (
                ["samples/openstack-server-list.json", "samples/openstack-flavors.json"], "openstack",
                ["os-web-71": "10.100.0.71", "os-api-72": "10.100.0.72"], 1
            ),
            (["samples/nova-servers-detail.json"], "openstack", ["nova-app-81": "10.100.0.81", "kvm-legacy-82": "10.100.0.82"], 0),
            (["samples/generic-cmdb.csv"], "generic", ["gen-91": "10.100.0.91", "gen-92": "10.100.0.92"], 0),
        ] as [([String], String, [String: String], Int)])
    func sample(files: [String], map: String, creates: [String: String], skips: Int) async throws {
        let plane = try await TestControlPlane.make()
        let plan = try await plane.services.imports.plan(try files.map(file), map: try file("maps/\(map).yaml"), by: .system)
        let problems =
            plan.rows.filter { $0.action == .error }.flatMap(\.reasons) + plan.issues.map(\.description)
            + plan.groups.compactMap(\.refusal)
        #expect(problems == [])
        #expect(plan.isClean)
        let made = Dictionary(
            uniqueKeysWithValues: plan.rows.filter { $0.action == .create }.compactMap { row in
                row.request.map { ($0.name.value, $0.ip?.description ?? "-") }
            })
        #expect(made == creates)
        #expect(plan.totals[.skip, default: 0] == skips)
    }

    @Test("the RVTools 4.x sample keeps what the map asks for: zone from the cluster, service and owner from columns, sizes rounded")
    func rvtoolsDetails() async throws {
        let plane = try await TestControlPlane.make()
        let plan = try await plane.services.imports.plan(
            [try file("samples/rvtools-4x-vInfo.csv")], map: try file("maps/rvtools.yaml"), by: .system)
        let db = try #require(plan.rows.first { $0.request?.name.value == "db-01" }?.request)
        #expect(db.zone?.value == "z2" && db.service?.value == "db" && db.owner?.value == "bob")
        #expect(db.spec.cpus.value == 4 && db.spec.memory == .gibibytes(8) && db.spec.disk == .gibibytes(40))
        #expect(plan.rows.first { $0.sourceName == "db-01" }?.notes.contains { $0.contains("10.100.0.123") } == true)
        #expect(Set(plan.rows.filter { $0.action == .skip }.map(\.sourceName)) == ["tmpl-debian", "old-app", "vCLS-8f3a"])
    }
}
