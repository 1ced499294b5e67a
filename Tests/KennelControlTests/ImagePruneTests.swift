import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Logging
import Testing

/// A catalog of versions that records what it was asked to remove.
actor RecordingCatalog: ImageCatalog {
    private(set) var entries: [CatalogImage]
    init(_ entries: [CatalogImage]) { self.entries = entries }
    func images() async throws -> [CatalogImage] { entries }
    func remove(_ image: CatalogImage) async throws { entries.removeAll { $0 == image } }
}

@Suite("Image prune")
struct ImagePruneTests {
    private static func version(_ name: String, _ version: String) -> CatalogImage {
        CatalogImage(name: TestSite.value(name), version: version, sha256: "\(name)-\(version)-sha")
    }

    @Test(
        "kept: the newest of each image and every version a machine names",
        arguments: [
            ([String](), ["debian-12:3", "rocky-9:1"]),
            (["debian-12"], ["debian-12:3", "rocky-9:1"]),
            (["debian-12:2", "debian-12"], ["debian-12:2", "debian-12:3", "rocky-9:1"]),
        ])
    func kept(machines: [String], expected: [String]) {
        let images = [Self.version("debian-12", "1"), Self.version("debian-12", "2"), Self.version("debian-12", "3"), Self.version("rocky-9", "1")]
        let pinned = machines.map { TestSite.value($0) as ImageName }
        #expect(ImageService.kept(images, namedBy: pinned).map(\.reference) == expected)
    }

    @Test("prune removes unkept versions on the control plane and asks every host to drop their templates")
    func prune() async throws {
        let plane = try await TestControlPlane.make(site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 2))
        let catalog = RecordingCatalog([Self.version("debian-12", "1"), Self.version("debian-12", "2")])
        let runtime = try #require(plane.runtime as? FakeHostRuntime)
        let service = ImageService(store: plane.store, runtime: runtime, catalog: catalog, logger: Logger.silent)
        let report = try await service.prune(by: .system)
        #expect(report.removed == ["debian-12:1"] && report.kept == ["debian-12:2"] && report.unreachable.isEmpty)
        #expect(await catalog.entries.map(\.reference) == ["debian-12:2"])
        #expect(await runtime.calls.filter { $0.hasPrefix("prune") }.count == 2)
    }
}
