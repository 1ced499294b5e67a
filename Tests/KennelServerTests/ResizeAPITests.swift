import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Resize: disk grown online, IO limits, refusals")
struct ResizeAPITests {
    private let web01 = [("name", "web-01"), ("idc", "dc1"), ("zone", "z1"), ("disk", "20G"), ("service", "web")]

    @Test("disk=40G and disk=+10G grow the volume through the host and answer the new size")
    func grow() async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            var response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "40G")])
            #expect(response.status == .ok)
            #expect(try json(response)["disk"] as? String == "40G")
            response = try await client.postJSON("/api/v1/machines/web-01/resize", #"{"disk": "+10G", "disk_write_bps": "20M"}"#)
            let machine = try json(response)
            #expect(machine["disk"] as? String == "50G")
            #expect(machine["disk_write_bps"] as? String == "20M")
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            #expect(await fake.resized[TestSite.value("web-01")] == ByteSize.gibibytes(50))
            let operations = try json(try await client.get("/api/v1/operations?kind=resize"))
            #expect(operations["count"] as? Int == 2)
        }
    }

    @Test("a size is rounded up to whole 4 MiB extents")
    func rounding() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            let response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "+1M")])
            #expect(try json(response)["disk"] as? String == "20484M")
        }
    }

    @Test(
        "bad resizes are 4xx naming the field, and change nothing",
        arguments: [
            ("disk", "0", 422), ("disk", "-1G", 422), ("disk", "+0", 422), ("disk", "1Q", 422), ("disk", "1.5G", 422),
            ("disk", "10G", 409), ("disk", "2T", 409), ("disk_read_iops", "-5", 422), ("allow_shrink", "maybe", 422),
        ])
    func refusals(field: String, value: String, status: Int) async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            let response = try await client.postForm("/api/v1/machines/web-01/resize", [(field, value)])
            #expect(response.status.code == status)
            #expect(try errorBody(response).field == field)
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["disk"] as? String == "20G")
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            #expect(await fake.resized.isEmpty)
        }
    }

    @Test("shrinking an XFS disk says XFS cannot shrink, running or stopped")
    func shrink() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            var response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "10G")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("XFS") == true)
            _ = try await client.postForm("/api/v1/machines/web-01/stop", [])
            response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "10G"), ("allow_shrink", "1")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("XFS") == true)
        }
    }

    @Test("an ext4 machine shrinks while stopped with allow_shrink=1; refused while it runs, without the flag, and below what its files need")
    func ext4Shrink() async throws {
        try await withAPI { client, plane in
            let created = try await client.postForm("/api/v1/machines", web01 + [("filesystem", "ext4")])
            #expect(try json(created)["filesystem"] as? String == "ext4")
            var response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "10G"), ("allow_shrink", "1")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("stopped") == true)
            _ = try await client.postForm("/api/v1/machines/web-01/stop", [])
            response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "10G")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).message?.contains("allow_shrink=1") == true)

            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.setFilesNeed(.gibibytes(12), of: TestSite.value("web-01"))
            response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "10G"), ("allow_shrink", "1")])
            #expect(response.status == .conflict, "a refusal from the host is a 409, not a host failure")
            let refusal = try errorBody(response)
            #expect(refusal.field == "disk" && refusal.message?.contains("need at least 12G") == true)
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["disk"] as? String == "20G", "the old size is kept")

            response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "14G"), ("allow_shrink", "1")])
            #expect(response.status == .ok)
            #expect(try json(response)["disk"] as? String == "14G")
            #expect(await fake.resized[TestSite.value("web-01")] == ByteSize.gibibytes(14))
            let operations = try json(try await client.get("/api/v1/operations?kind=resize"))
            let steps = (operations["operations"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]
            #expect(steps?.first?["name"] as? String == "shrink volume offline")
        }
    }

    @Test("a grow the host's volume store cannot hold is 409 no_capacity naming disk; the machine keeps its size and runs on")
    func storeRefusesGrow() async throws {
        try await withAPI { client, plane in
            let created = try json(try await client.postForm("/api/v1/machines", web01))
            let host = try #require(created["host"] as? String)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.refuseFiles(on: TestSite.value(host), with: KennelError(.noCapacity, "the volume store has 3.5G left", field: "disk"))
            let response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "40G")])
            #expect(response.status == .conflict)
            let refusal = try errorBody(response)
            #expect(refusal.code == "no_capacity" && refusal.field == "disk" && refusal.message?.contains("3.5G left") == true)
            let machine = try json(try await client.get("/api/v1/machines/web-01"))
            #expect(machine["disk"] as? String == "20G" && machine["state"] as? String == "running")
        }
    }

    @Test("filesystem is xfs or ext4, named in the 422 otherwise")
    func filesystemField() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/machines", web01 + [("filesystem", "btrfs")])
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == "filesystem")
            let xfs = try await client.postForm("/api/v1/machines", [("name", "web-02"), ("idc", "dc1")])
            #expect(try json(xfs)["filesystem"] as? String == "xfs")
        }
    }

    @Test("a growth the host cannot hold is 409 no_capacity naming its free disk")
    func noCapacity() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            let response = try await client.postForm("/api/v1/machines/web-01/resize", [("disk", "+481G")])
            #expect(response.status == .conflict)
            let error = try errorBody(response)
            #expect(error.code == "no_capacity" && error.field == "disk")
            #expect(error.message?.contains("480G of disk free") == true)
        }
    }

    @Test("no field, or an unknown machine, is refused")
    func nothingOrUnknown() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            #expect(try await client.postForm("/api/v1/machines/web-01/resize", []).status == .unprocessableContent)
            #expect(try await client.postForm("/api/v1/machines/nope/resize", [("disk", "40G")]).status == .notFound)
        }
    }

    @Test("concurrent grows never both take a host's last space")
    func concurrentGrows() async throws {
        let site = TestSite.make(zones: 1, racks: 1, hostsPerRack: 1, disk: "100G")
        try await withAPI(site: site) { client, plane in
            for name in ["web-01", "web-02"] {
                _ = try await client.postForm("/api/v1/machines", [("name", name), ("idc", "dc1"), ("disk", "20G")])
            }
            // 60G free: each asks for 40G more; exactly one fits.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["web-01", "web-02"] {
                    group.addTask { try await client.postForm("/api/v1/machines/\(name)/resize", [("disk", "+40G")]).status.code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409])
            let disks = try await plane.services.machines.list().map(\.spec.disk)
            #expect(disks.sorted() == [.gibibytes(20), .gibibytes(60)])
        }
    }

    @Test(
        "the grow/shrink decision table",
        arguments: [
            (10, 10, FilesystemKind.xfs, true, false, DiskResize.unchanged), (10, 20, .xfs, true, false, .grow),
            (10, 20, .ext4, false, false, .grow), (10, 20, .ext4, true, false, .grow), (20, 10, .ext4, false, true, .shrink),
            (20, 20, .ext4, false, true, .unchanged),
        ])
    func decisions(current: UInt64, requested: UInt64, filesystem: FilesystemKind, running: Bool, allow: Bool, expected: DiskResize) {
        #expect(
            DiskResize.decide(
                from: .gibibytes(current), to: .gibibytes(requested), filesystem: filesystem, running: running, allowShrink: allow)
                == expected)
    }

    @Test(
        "shrinks are refused for their own reasons",
        arguments: [
            (FilesystemKind.xfs, true, true, "XFS"), (.ext4, true, true, "runs"), (.xfs, false, true, "XFS"), (.ext4, false, false, "allow_shrink=1"),
        ])
    func shrinkReasons(filesystem: FilesystemKind, running: Bool, allow: Bool, reason: String) {
        let decision = DiskResize.decide(from: .gibibytes(20), to: .gibibytes(10), filesystem: filesystem, running: running, allowShrink: allow)
        guard case .refused(let text) = decision else {
            Issue.record("a shrink was allowed")
            return
        }
        #expect(text.contains(reason))
    }
}
