import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Logging
import Testing

@Suite("Input that passes parsing but cannot work is refused before anything is written")
struct UnworkableInputTests {
    @Test(
        "every case of the adversarial run is 422 naming the field, and writes nothing",
        arguments: [
            ("memory=0", "memory"), ("memory=512", "memory"), ("memory=512K", "memory"), ("disk=0", "disk"), ("disk=512", "disk"),
            ("disk=1K", "disk"), ("ingress=1", "ingress"), ("egress=1K", "egress"), ("image=nope", "image"),
            ("image=debian-12:19700101-000000", "image"), ("cpus=-1", "cpus"),
        ])
    func formCases(extra: String, field: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.executeRequest(
                uri: "/api/v1/machines", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=web-01&idc=dc1&" + extra))
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == field)
            let counts = try await plane.rowCounts()
            #expect(counts.machines == 0 && counts.leases == 0 && counts.operations == 0)
        }
    }

    @Test("a disk smaller than its image needs is 422 naming disk")
    func diskBelowImage() async throws {
        let images = FixedImageCatalog([CatalogImage(name: .defaultImage, version: "20261201-000000", minimumDisk: .gibibytes(2))])
        let plane = try await TestControlPlane.make(images: images)
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { raw in
            let client = try await plane.authorized(raw)
            let small = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("disk", "1G")])
            #expect(small.status == .unprocessableContent)
            #expect(try errorBody(small).field == "disk")
            #expect(try errorBody(small).message?.contains("needs at least 2G") == true)
            let versioned = try await client.postForm(
                "/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("disk", "2G"), ("image", "debian-12:20261201-000000")])
            #expect(versioned.status == .created)
        }
        #expect(try await plane.rowCounts().machines == 1)
    }
}
