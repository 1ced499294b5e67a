import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Limits: CPU, memory, bandwidth and disk IO changed live")
struct LimitsAPITests {
    private let web01 = [("name", "web-01"), ("idc", "dc1"), ("zone", "z1"), ("memory", "1G"), ("service", "web")]

    @Test("cpus, memory, memory_soft, swap, ingress, egress and disk IO change through the host, show in the JSON, as operation limits")
    func change() async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            var response = try await client.postForm(
                "/api/v1/machines/web-01/limits",
                [("cpus", "2"), ("memory", "2G"), ("memory_soft", "1G"), ("swap", "512M"), ("ingress", "50M"), ("egress", "100M")])
            #expect(response.status == .ok)
            var machine = try json(response)
            #expect(machine["cpus"] as? Int == 2 && machine["memory"] as? String == "2G")
            #expect(machine["processes"] as? Int == 16384, "the task cap follows memory: one per 128 KiB")
            #expect(machine["memory_soft"] as? String == "1G" && machine["swap"] as? String == "512M")
            #expect(machine["ingress"] as? String == "50M" && machine["egress"] as? String == "100M")
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            let applied = try #require(await fake.limited[TestSite.value("web-01")])
            #expect(applied.cpus.value == 2 && applied.memory == .gibibytes(2) && applied.egress == Bandwidth.megabits(100))

            response = try await client.postJSON("/api/v1/machines/web-01/limits", #"{"egress": "0", "swap": "0", "disk_write_bps": "20M"}"#)
            machine = try json(response)
            #expect(machine["egress"] == nil, "0 lifts the limit")
            #expect(machine["swap"] as? String == "0", "swap=0 means none")
            #expect(machine["disk_write_bps"] as? String == "20M")
            let operations = try json(try await client.get("/api/v1/operations?kind=limits"))
            #expect(operations["count"] as? Int == 2)
        }
    }

    @Test(
        "bad limits are 422 naming the field, and change nothing",
        arguments: [
            ("cpus", "0"), ("memory", "1Q"), ("egress", "-5M"), ("ingress", "100"), ("memory", "32M"), ("memory_soft", "4G"),
            ("swap", "lots"), ("disk_read_iops", "-1"), ("force", "maybe"),
        ])
    func refusals(field: String, value: String) async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            let response = try await client.postForm("/api/v1/machines/web-01/limits", [(field, value)] + (field == "force" ? [("cpus", "2")] : []))
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == field)
            let machine = try json(try await client.get("/api/v1/machines/web-01"))
            #expect(machine["cpus"] as? Int == 1 && machine["memory"] as? String == "1G")
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            #expect(await fake.limited.isEmpty)
        }
    }

    @Test("an unknown field or no field at all is 422")
    func unknownOrNothing() async throws {
        try await withAPI { client, _ in
            _ = try await client.postForm("/api/v1/machines", web01)
            var response = try await client.postForm("/api/v1/machines/web-01/limits", [("cpu_count", "2")])
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == "cpu_count")
            response = try await client.postForm("/api/v1/machines/web-01/limits", [])
            #expect(response.status.code == 422)
        }
    }

    @Test("lowering memory below what the machine uses is 409 naming the usage; force=1 goes ahead")
    func belowUsage() async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.setMemoryUsed(.mebibytes(900), of: TestSite.value("web-01"))
            var response = try await client.postForm("/api/v1/machines/web-01/limits", [("memory", "512M")])
            #expect(response.status == .conflict)
            let error = try errorBody(response)
            #expect(error.field == "memory" && error.message?.contains("uses 900M") == true)
            #expect(await fake.limited.isEmpty)
            response = try await client.postForm("/api/v1/machines/web-01/limits", [("memory", "512M"), ("force", "1")])
            #expect(response.status == .ok)
            #expect(try json(response)["memory"] as? String == "512M")
        }
    }

    @Test("an increase the host cannot hold is 409 no_capacity with the placement details; concurrent ones never both take the last room")
    func capacity() async throws {
        let site = TestSite.make(zones: 1, racks: 1, hostsPerRack: 1, cpus: 8)
        try await withAPI(site: site) { client, plane in
            for name in ["web-01", "web-02"] {
                _ = try await client.postForm("/api/v1/machines", [("name", name), ("idc", "dc1"), ("cpus", "2")])
            }
            // 8 CPUs × the default CPU overcommit of 4 = 32 schedulable, 4 taken.
            let response = try await client.postForm("/api/v1/machines/web-01/limits", [("cpus", "31")])
            #expect(response.status == .conflict)
            let body = try json(response)
            let error = try #require(body["error"] as? [String: Any])
            #expect(error["code"] as? String == "no_capacity" && error["field"] as? String == "cpus")
            let hosts = (error["details"] as? [String: Any])?["hosts"] as? [[String: Any]]
            #expect(hosts?.first?["filter"] as? String == "cpu" && (hosts?.first?["reason"] as? String)?.contains("28 CPUs free") == true)
            // 28 CPUs free: each asks for 15 more; exactly one fits.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["web-01", "web-02"] {
                    group.addTask { try await client.postForm("/api/v1/machines/\(name)/limits", [("cpus", "17")]).status.code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409])
            let cpus = try await plane.services.machines.list().map(\.spec.cpus.value)
            #expect(cpus.sorted() == [2, 17])
        }
    }

    @Test("a change that fails half-way on the host is undone there: the old limits are applied again")
    func undoneHalfway() async throws {
        try await withAPI { client, plane in
            _ = try await client.postForm("/api/v1/machines", web01)
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.failLimitsOnce()
            let response = try await client.postForm("/api/v1/machines/web-01/limits", [("cpus", "2"), ("memory", "2G")])
            #expect(response.status.code == 502)
            let onHost = try #require(await fake.limited[TestSite.value("web-01")])
            #expect(onHost.cpus.value == 1 && onHost.memory == .gibibytes(1), "the host was given the old limits back")
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["cpus"] as? Int == 1)
        }
    }

    @Test("a host that fails to apply them keeps the old limits")
    func hostFailure() async throws {
        try await withAPI { client, plane in
            let created = try json(try await client.postForm("/api/v1/machines", web01))
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            await fake.failStarts(on: try Hostname(parsing: try #require(created["host"] as? String)))
            let response = try await client.postForm("/api/v1/machines/web-01/limits", [("cpus", "2")])
            #expect(response.status.code == 502)
            #expect(try json(try await client.get("/api/v1/machines/web-01"))["cpus"] as? Int == 1)
        }
    }
}
