import Foundation
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelServer
import KennelTesting
import Logging

/// Runs `body` against the API router over a fresh test control plane.
func withAPI<Value>(
    site: Site = TestSite.make(),
    waitingForOperations: Bool = true,
    certificateAuthority: (any CertificateAuthority)? = nil,
    clock: TestClock = TestClock(),
    bastionFile: (@Sendable (String) async throws -> Void)? = nil,
    _ body: @Sendable (AuthorizedTestClient, TestControlPlane) async throws -> Value
) async throws -> Value {
    let plane = try await TestControlPlane.make(
        site: site, clock: clock, certificateAuthority: certificateAuthority, bastionFile: bastionFile)
    let app = Application(router: KennelAPI.router(services: plane.services), logger: .silent)
    return try await app.test(.router) { client in
        try await body(try await plane.authorized(client, waitingForOperations: waitingForOperations), plane)
    }
}

extension TestClientProtocol {
    /// POSTs a form body, as `curl -d` does.
    func postForm(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&")
        return try await executeRequest(
            uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
        )
    }

    /// POSTs a JSON body.
    func postJSON(_ uri: String, _ json: String) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: .get, headers: [:], body: nil)
    }
}

/// The JSON object of a response.
func json(_ response: TestResponse) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
    return object as? [String: Any] ?? [:]
}

/// The `error` object of an error response.
func errorBody(_ response: TestResponse) throws -> (code: String?, field: String?, message: String?) {
    let error = try json(response)["error"] as? [String: Any]
    return (error?["code"] as? String, error?["field"] as? String, error?["message"] as? String)
}
