import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelImport
import KennelModel
import KennelTesting
import Testing

@Suite("Export: the inventory in forms the importer reads back")
struct ExportAPITests {
    /// Three machines in two zones, one of a team and a service, one imported with a source id.
    private func fill(_ plane: TestControlPlane) async throws {
        var web = TestSite.request("web-01", zone: "z1", cpus: 2, memory: "4G", disk: "20G", service: "shop", ip: "10.100.0.21")
        web.owner = TestSite.value("alice")
        _ = try await plane.services.machines.create(web)
        _ = try await plane.services.machines.create(TestSite.request("db-01", zone: "z2", memory: "8G", disk: "40G", ip: "10.100.0.22"))
        _ = try await plane.services.machines.create(TestSite.request("app-01", zone: "z2", ip: "10.100.0.23"))
        try await plane.store.transaction { store in try store.setSource("vsphere:vc:42", of: TestSite.value("db-01")) }
    }

    @Test(
        "round trip: what one Kennel exports, an empty Kennel plans as the same machines (names, addresses, sizes, places)",
        arguments: ["json", "csv", "netbox"])
    func roundTrip(format: String) async throws {
        let files: [SourceFile] = try await withAPI { admin, plane in
            try await fill(plane)
            let queries = format == "netbox" ? ["netbox-machines", "netbox-addresses"] : [format]
            return try await queries.asyncMap { query in
                let response = try await admin.get("/api/v1/export?format=\(query)")
                #expect(response.status == .ok)
                return SourceFile(name: "\(query).\(format == "json" ? "json" : "csv")", bytes: Array(response.body.readableBytesView))
            }
        }
        let empty = try await TestControlPlane.make()
        let map = SourceFile(name: "map.yaml", bytes: Array("skip: {powered_off: false}\nowner: {column: owner}\n".utf8))
        let plan = try await empty.services.imports.plan(files, map: map, by: .system)
        #expect(plan.isClean, "\(plan.rows.flatMap(\.reasons))")
        let made = plan.rows.compactMap(\.request).sorted { $0.name < $1.name }
        #expect(made.map(\.name.value) == ["app-01", "db-01", "web-01"])
        #expect(made.map { $0.ip?.description ?? "" } == ["10.100.0.23", "10.100.0.22", "10.100.0.21"])
        #expect(made.map(\.spec.memory) == [.gibibytes(1), .gibibytes(8), .gibibytes(4)] && made.map(\.spec.cpus.value) == [1, 1, 2])
        #expect(made.map(\.idc.value) == ["dc1", "dc1", "dc1"] && made.map(\.service?.value) == [nil, nil, "shop"])
        #expect(made.last?.owner?.value == "alice")
        #expect(made.map { $0.zone?.value ?? "" } == ["z2", "z2", "z1"] && made.map { $0.rack?.value ?? "" } == ["r1", "r1", "r1"])
        if format != "netbox" {
            #expect(plan.rows.first { $0.request?.name.value == "db-01" }?.sourceID == "id:vsphere:vc:42")
        }
    }

    @Test(
        "round trip with apply: an empty Kennel that applies what one Kennel exports has the same machines, addresses, MACs and racks",
        arguments: ["json", "csv", "netbox"])
    func roundTripApplied(format: String) async throws {
        let (original, files): ([Machine], [SourceFile]) = try await withAPI { admin, plane in
            try await fill(plane)
            let queries = format == "netbox" ? ["netbox-machines", "netbox-addresses"] : [format]
            let files = try await queries.asyncMap { query in
                let response = try await admin.get("/api/v1/export?format=\(query)")
                return SourceFile(name: "\(query).\(format == "json" ? "json" : "csv")", bytes: Array(response.body.readableBytesView))
            }
            return (try await plane.services.machines.list(), files)
        }
        let empty = try await TestControlPlane.make()
        let map = SourceFile(name: "map.yaml", bytes: Array("skip: {powered_off: false}\nowner: {column: owner}\n".utf8))
        _ = try await empty.services.imports.submitApply(files, map: map, by: .system).result()
        let copied = try await empty.services.machines.list()
        #expect(copied.map(\.name) == original.map(\.name))
        #expect(copied.map(\.network.ip) == original.map(\.network.ip) && copied.map(\.network.mac) == original.map(\.network.mac))
        #expect(copied.map(\.location) == original.map(\.location), "same IDC, zone and rack")
        #expect(copied.map(\.spec.resources) == original.map(\.spec.resources) && copied.map(\.owner) == original.map(\.owner))
        #expect(copied.allSatisfy { $0.state == .running })
        let again = try await empty.services.imports.submitApply(files, map: map, by: .system)
        _ = try await again.result()
        #expect(try await empty.services.operations.operation(id: again.id).result?.imported?.changes == 0)
    }

    @Test("an unknown format is 422 naming format; a viewer exports only what they may see")
    func refusals() async throws {
        try await withAPI { admin, plane in
            try await fill(plane)
            let bad = try await admin.get("/api/v1/export?format=xml")
            #expect(bad.status.code == 422)
            #expect(try errorBody(bad).field == "format")
            let viewer = admin.with(token: try await plane.token(forNew: "vera", role: try Role(parsing: "viewer")))
            let csv = String(buffer: try await viewer.get("/api/v1/export?format=csv").body)
            #expect(csv.split(separator: "\r\n").count == 1, "the header only")
        }
    }
}

extension Array {
    func asyncMap<Result>(_ transform: (Element) async throws -> Result) async rethrows -> [Result] {
        var results: [Result] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
