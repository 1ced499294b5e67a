import Foundation
import Hummingbird
import HummingbirdTesting
import KennelTesting
import Testing

@Suite("Placement, spread, hosts and topology API")
struct PlacementAPITests {
    private func create(_ client: any TestClientProtocol, _ name: String, _ extra: [(String, String)] = []) async throws -> [String: Any] {
        try json(try await client.postForm("/api/v1/machines", [("name", name), ("idc", "dc1")] + extra))
    }

    @Test("6 creates of service web in zone z1 land on 3 racks, 2 each")
    func sixWebMachines() async throws {
        try await withAPI { client, _ in
            var racks: [String] = []
            for n in 1...6 { racks.append(try await create(client, "web-\(n)", [("zone", "z1"), ("service", "web")])["rack"] as? String ?? "?") }
            #expect(Dictionary(grouping: racks, by: { $0 }).mapValues(\.count) == ["r1": 2, "r2": 2, "r3": 2])
        }
    }

    @Test("strict spread refuses a 4th machine in a 3-rack zone with 409 spread_impossible")
    func strictSpread() async throws {
        try await withAPI { client, plane in
            for n in 1...3 { _ = try await create(client, "db-\(n)", [("zone", "z1"), ("service", "db"), ("spread", "strict")]) }
            let response = try await client.postForm(
                "/api/v1/machines", [("name", "db-4"), ("idc", "dc1"), ("zone", "z1"), ("service", "db"), ("spread", "strict")])
            #expect(response.status == .conflict)
            #expect(try errorBody(response).code == "spread_impossible")
            #expect(try await plane.rowCounts().machines == 3)
        }
    }

    @Test("a refusal carries per-filter counts and per-host reasons")
    func refusalDetails() async throws {
        try await withAPI { client, _ in
            let response = try await client.postForm("/api/v1/machines", [("name", "big"), ("idc", "dc1"), ("zone", "z2"), ("cpus", "64")])
            let details = try #require((try json(response)["error"] as? [String: Any])?["details"] as? [String: Any])
            #expect(details["filtered"] as? [String: Int] == ["zone": 6, "cpu": 6])
            let hosts = try #require(details["hosts"] as? [[String: String]])
            #expect(hosts.first { $0["host"] == "z2-r1-h1" }?["reason"] == "cpus 32 free < 64 requested")
            #expect(hosts.first { $0["host"] == "z1-r1-h1" }?["reason"] == "in zone z1")
        }
    }

    @Test("explain is a dry run: it answers like a create would and writes nothing")
    func explain() async throws {
        try await withAPI { client, plane in
            _ = try await create(client, "web-1", [("zone", "z1"), ("service", "web")])
            let body = try json(try await client.get("/api/v1/placement/explain?idc=dc1&zone=z1&service=web&cpus=2&memory=4G"))
            #expect(body["placeable"] as? Bool == true)
            #expect(body["rack"] as? String == "r2")
            #expect((body["ranking"] as? [[String: Any]])?.count == 6)
            #expect(body["filtered"] as? [String: Int] == ["zone": 6])
            let refused = try json(try await client.get("/api/v1/placement/explain?idc=dc1&cpus=64"))
            #expect(refused["placeable"] as? Bool == false)
            #expect((refused["error"] as? [String: String])?["code"] == "no_capacity")
            let badField = try await client.get("/api/v1/placement/explain?idc=dc1&memory=lots")
            #expect(badField.status == .unprocessableContent)
            #expect(try errorBody(badField).field == "memory")
            let counts = try await plane.rowCounts()
            #expect(counts.machines == 1 && counts.operations == 1)
        }
    }

    @Test("the spread report shows machines per rack, the skew, and racks over their share")
    func spreadReport() async throws {
        try await withAPI { client, _ in
            for n in 1...3 { _ = try await create(client, "web-\(n)", [("zone", "z1"), ("service", "web")]) }
            // Racks r2 and r3 go into maintenance: the next two machines can only stack in r1.
            for host in ["z1-r2-h1", "z1-r2-h2", "z1-r3-h1", "z1-r3-h2"] {
                _ = try await client.executeRequest(
                    uri: "/api/v1/hosts/\(host)", method: .patch,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "state=maintenance"))
            }
            for n in 4...5 { #expect(try await create(client, "web-\(n)", [("zone", "z1"), ("service", "web")])["rack"] as? String == "r1") }
            let body = try json(try await client.get("/api/v1/services/web/spread"))
            let idc = try #require((body["idcs"] as? [[String: Any]])?.first)
            #expect(idc["machines"] as? Int == 5)
            #expect(idc["share"] as? Int == 2)
            #expect(idc["skew"] as? Int == 2)
            let racks = try #require(((idc["zones"] as? [[String: Any]])?.first?["racks"]) as? [[String: Any]])
            #expect(racks.map { $0["machines"] as? Int } == [3, 1, 1])
            #expect(racks.map { $0["over_share"] as? Bool } == [true, false, false])
            #expect(try await client.get("/api/v1/services/a'b/spread").status == .unprocessableContent)
        }
    }

    @Test("hosts: add to a known rack, refuse unknown references, drain, and delete only when empty")
    func hosts() async throws {
        try await withAPI { client, _ in
            let host = [
                ("name", "z1-r1-h9"), ("uri", "lxc+ssh://root@h9.example/system"), ("idc", "dc1"), ("zone", "z1"), ("rack", "r1"),
                ("cpus", "16"), ("memory", "64G"), ("disk", "1T"), ("vlans", "100,200"), ("class", "highmem"), ("labels", "ssd"),
            ]
            let added = try await client.postForm("/api/v1/hosts", host)
            #expect(added.status == .created)
            #expect(try json(added)["class"] as? String == "highmem")
            for (field, value) in [("rack", "r9"), ("zone", "z9"), ("idc", "dc9"), ("uri", "qemu:///system"), ("cpus", "0")] {
                let refused = try await client.postForm(
                    "/api/v1/hosts", host.map { $0.0 == field ? ($0.0, value) : $0 }.map { $0.0 == "name" ? ($0.0, "other") : $0 })
                #expect(refused.status == .unprocessableContent, "field \(field)")
                #expect(try errorBody(refused).field == field)
            }
            let placed = try await create(client, "mem-1", [("host_class", "highmem"), ("host_labels", "ssd")])
            #expect(placed["host"] as? String == "z1-r1-h9")
            let drain = try await client.executeRequest(
                uri: "/api/v1/hosts/z1-r1-h9", method: .patch,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "state=draining"))
            #expect(try json(drain)["state"] as? String == "draining")
            #expect(try json(drain)["machines"] as? Int == 1)
            let refused = try await client.postForm("/api/v1/machines", [("name", "mem-2"), ("idc", "dc1"), ("host_class", "highmem")])
            #expect(try errorBody(refused).message?.contains("host z1-r1-h9: state is draining") == true)
            let busy = try await client.executeRequest(uri: "/api/v1/hosts/z1-r1-h9", method: .delete, headers: [:], body: nil)
            #expect(busy.status == .conflict)
            _ = try await client.executeRequest(uri: "/api/v1/machines/mem-1", method: .delete, headers: [:], body: nil)
            let gone = try await client.executeRequest(uri: "/api/v1/hosts/z1-r1-h9", method: .delete, headers: [:], body: nil)
            #expect(gone.status == .noContent)
        }
    }

    @Test("topology: IDCs, zones and racks are created only under known parents")
    func topology() async throws {
        try await withAPI { client, _ in
            let idc = try await client.postForm("/api/v1/idcs", [("name", "dc2")])
            #expect(idc.status == .created)
            #expect(try json(idc)["kind"] as? String == "idc" && json(idc)["idc"] as? String == "dc2")
            #expect(try await client.postForm("/api/v1/idcs", [("name", "dc2")]).status == .conflict)
            let zone = try await client.postForm("/api/v1/zones", [("idc", "dc2"), ("name", "a")])
            #expect(zone.status == .created)
            #expect(try json(zone)["zone"] as? String == "a")
            #expect(try errorBody(try await client.postForm("/api/v1/zones", [("idc", "dc9"), ("name", "a")])).field == "idc")
            let rack = try await client.postForm("/api/v1/racks", [("idc", "dc2"), ("zone", "a"), ("name", "r1")])
            #expect(rack.status == .created)
            #expect(try json(rack)["kind"] as? String == "rack" && json(rack)["rack"] as? String == "r1" && json(rack)["zone"] as? String == "a")
            #expect(try errorBody(try await client.postForm("/api/v1/racks", [("idc", "dc2"), ("zone", "b"), ("name", "r1")])).field == "zone")
            let body = try json(try await client.get("/api/v1/topology"))
            let idcs = try #require(body["idcs"] as? [[String: Any]])
            #expect(idcs.map { $0["name"] as? String } == ["dc1", "dc2"])
            #expect(((idcs[1]["zones"] as? [[String: Any]])?.first?["racks"]) as? [String] == ["r1"])
        }
    }

    @Test("N concurrent creates for a host group with room for K machines: exactly K succeed")
    func concurrentCapacity() async throws {
        // 2 hosts × 4 CPUs × overcommit 4 = 32 CPUs; 4 CPUs per machine → room for 8.
        try await withAPI(site: TestSite.make(zones: 1, racks: 1, hostsPerRack: 2, cpus: 4)) { client, plane in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 1...24 {
                    group.addTask {
                        let response = try await client.postForm("/api/v1/machines", [("name", "m-\(n)"), ("idc", "dc1"), ("cpus", "4")])
                        return (response.status, response.status == .created ? nil : try errorBody(response).code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .created }.count == 8)
            #expect(statuses.filter { $0.1 == "no_capacity" }.count == 16)
            #expect(try await plane.rowCounts().machines == 8)
        }
    }
}
