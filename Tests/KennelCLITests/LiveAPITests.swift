import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KennelCLI
import KennelModel
import KennelServer
import KennelWire
import KennelTesting
import Testing

@Suite("CLI client against a live server")
struct LiveAPITests {
    @Test("create, list, show and delete over real HTTP; API errors come back as KennelError")
    func roundTrip() async throws {
        let plane = try await TestControlPlane.make()
        let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: .silent)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let api = APIClient(baseURL: "http://127.0.0.1:\(port)/", token: try await plane.adminToken())
            let create = try MachineCreate.parse(["web-01", "--idc", "dc1", "--memory", "4G", "--service", "web"])
            let (machine, _) = try await api.decode(MachineView.self, .POST, "/api/v1/machines?wait=1", form: create.form)
            #expect(machine.ip == "10.100.0.2")
            #expect(machine.memory == "4G")
            #expect(MachineText.details(machine).contains("address    10.100.0.2/24 via 10.100.0.1, VLAN 100, pool pool-a"))

            let (list, _) = try await api.decode(KennelWire.MachineList.self, .GET, "/api/v1/machines")
            #expect(list.machines.map(\.name) == ["web-01"])
            #expect(MachineText.table(list.machines).contains("web-01  running  10.100.0.2"))

            await #expect(throws: KennelError(.nameTaken, "a machine named 'web-01' exists already", field: "name")) {
                _ = try await api.decode(MachineView.self, .POST, "/api/v1/machines?wait=1", form: create.form)
            }
            try APIClient.check(try await api.send(.DELETE, "/api/v1/machines/web-01?wait=1"))
            await #expect(throws: KennelError.notFound("machine", "web-01")) {
                _ = try await api.decode(MachineView.self, .GET, "/api/v1/machines/web-01")
            }
        }
    }
}
