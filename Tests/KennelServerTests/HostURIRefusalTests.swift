import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
import KennelServer
import KennelTesting
import Logging
import Testing

@Suite("Host URIs by allow-list at every entry: API, update, site file, start-up")
struct HostURIRefusalTests {
    static let refused = [
        "lxc+ssh://root@127.0.0.1:1/system?command=/tmp/x.sh", "lxc+ssh://root@h/system?socket=/tmp/s",
        "lxc+ssh://root@h/system?netcat=/tmp/nc", "lxc+ssh://root@h/system?proxy=native", "lxc+ssh://root@h/system?mode=legacy",
        "lxc+ext:///system?command=/bin/sh", "lxc+tcp://h/system", "lxc+tls://h/system", "lxc+unix:///system",
        "qemu:///system", "test:///etc/passwd", "test:///default", "lxc+ssh://-oProxyCommand=x/system",
    ]

    @Test("POST /hosts refuses each with 422 naming uri, and writes nothing", arguments: refused)
    func add(uri: String) async throws {
        try await withAPI { client, plane in
            let before = try await plane.store.hosts().count
            let response = try await client.postForm(
                "/api/v1/hosts",
                [
                    ("name", "evil"), ("idc", "dc1"), ("zone", "z1"), ("rack", "r1"), ("cpus", "8"), ("memory", "16G"), ("disk", "100G"),
                    ("uri", uri),
                ])
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == "uri")
            #expect((try errorBody(response).message?.count ?? 0) < 300)
            #expect(try await plane.store.hosts().count == before)
        }
    }

    @Test("PATCH /hosts/{name} refuses a URI change to each, and keeps the old one", arguments: refused.prefix(4))
    func update(uri: String) async throws {
        try await withAPI { client, plane in
            let response = try await client.executeRequest(
                uri: "/api/v1/hosts/z1-r1-h1", method: .patch, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "uri=" + (uri.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? uri)))
            #expect(response.status == .unprocessableContent)
            #expect(try errorBody(response).field == "uri")
            #expect(try await plane.store.host(named: TestSite.value("z1-r1-h1"))?.uri.text == "fake://z1-r1-h1")
        }
    }

    @Test("a site file naming a refused URI does not load")
    func siteFile() throws {
        let json = #"""
            {"simulated": false, "idcs": [{"name": "dc1", "zones": [{"name": "z1", "racks": [{"name": "r1", "hosts": [
              {"name": "h1", "uri": "lxc+ssh://root@h1/system?command=/tmp/x.sh", "cpus": 8, "memory": "16G", "disk": "100G", "vlans": [100]}
            ]}]}]}], "pools": []}
            """#
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID()).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try SiteConfig.load(from: file)
        #expect {
            _ = try config.resolve(policy: .realHostsOnly) { _ in "test:///unused" }
        } throws: { ($0 as? KennelError)?.field == "uri" && ($0 as? KennelError)?.message.contains("host h1") == true }
    }

    @Test("at start-up, stored hosts with a refused URI are reported and set to maintenance; good ones are untouched")
    func startUp() async throws {
        let plane = try await TestControlPlane.make(site: TestSite.make { "lxc+ssh://root@\($0).example/system" })
        try await plane.store.transaction { store in
            guard var host = try store.host(named: TestSite.value("z1-r1-h1")) else { return }
            host.uri = HostURI("lxc+ssh://root@h/system?command=/tmp/x.sh")
            try store.save(host)
        }
        let refused = try await plane.services.hosts.setAsideRefusedURIs()
        #expect(refused.map(\.host.value) == ["z1-r1-h1"])
        #expect(refused.first?.reason.contains("command") == true)
        #expect(try await plane.store.host(named: TestSite.value("z1-r1-h1"))?.state == .maintenance)
        #expect(try await plane.store.host(named: TestSite.value("z1-r1-h2"))?.state == .active)
    }
}
