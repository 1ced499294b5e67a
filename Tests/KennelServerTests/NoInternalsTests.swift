import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelModel
@testable import KennelServer
import KennelTesting
import Logging
import Testing

@Suite("No internals in answers")
struct NoInternalsTests {
    @Test("a host failure answers 502 host_failure with a stable message, not the host's text")
    func hostFailure() async throws {
        let runtime = FakeHostRuntime()
        for zone in ["z1", "z2"] {
            for rack in 1...3 { for host in 1...2 { await runtime.failStarts(on: TestSite.value("\(zone)-r\(rack)-h\(host)")) } }
        }
        let plane = try await TestControlPlane.make(runtime: runtime)
        let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
        try await app.test(.router) { raw in
            let client = try await plane.authorized(raw)
            let response = try await client.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1")])
            #expect(response.status == .badGateway)
            let error = try errorBody(response)
            #expect(error.code == "host_failure")
            #expect(error.message?.contains("failed; the cause is in the service log (operation") == true)
            #expect(error.message?.contains("simulated") == false)
            let machine = try json(try await client.get("/api/v1/machines/web-01"))
            #expect((machine["failure"] as? String)?.contains("simulated") == false)
        }
    }

    @Test("an internal error's text never reaches the client")
    func internalError() async throws {
        let router = Router()
        router.middlewares.add(ErrorEnvelopeMiddleware())
        router.get("boom") { _, _ -> String in throw KennelError(.internal, "stored row /var/lib/kennel/x is corrupt") }
        try await Application(router: router, logger: .silent).test(.router) { client in
            let response = try await client.get("/boom")
            #expect(response.status == .internalServerError)
            #expect(try errorBody(response).message == "internal error; see the service log")
        }
    }
}
