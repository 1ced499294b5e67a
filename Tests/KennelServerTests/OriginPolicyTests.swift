import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelServer
import KennelTesting
import Testing

@Suite("Same origin only: Host, Origin and Sec-Fetch-Site")
struct OriginPolicyTests {
    static let policy = OriginPolicy(bindHost: "127.0.0.1", publicHosts: ["kennel.corp.example", "ops.example:8443"])

    @Test(
        "allowed requests",
        arguments: [
            (nil, nil, nil), ("127.0.0.1:8080", nil, nil), ("localhost:8080", nil, nil), ("127.0.0.2", nil, nil),
            ("[::1]:8080", nil, nil), ("kennel.corp.example", nil, nil), ("KENNEL.corp.example:80", nil, nil), ("ops.example", nil, nil),
            ("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin"), ("localhost:8080", "http://localhost:8080", nil),
            ("127.0.0.1:8080", "https://kennel.corp.example", nil), (nil, nil, "none"),
        ] as [(String?, String?, String?)])
    func allowed(host: String?, origin: String?, fetchSite: String?) {
        #expect(Self.policy.refusal(host: host, origin: origin, fetchSite: fetchSite) == nil)
    }

    @Test("bound to every address, any IP literal names the service; bound to one, only it and loopback do")
    func bindAddress() {
        let wildcard = OriginPolicy(bindHost: "0.0.0.0")
        #expect(wildcard.refusal(host: "10.1.2.3:8080", origin: nil, fetchSite: nil) == nil)
        #expect(wildcard.refusal(host: "[fe80::1]:8080", origin: nil, fetchSite: nil) == nil)
        #expect(wildcard.refusal(host: "evil.example", origin: nil, fetchSite: nil) != nil)
        let specific = OriginPolicy(bindHost: "10.1.2.3")
        #expect(specific.refusal(host: "10.1.2.3:8080", origin: nil, fetchSite: nil) == nil)
        #expect(specific.refusal(host: "127.0.0.1", origin: nil, fetchSite: nil) == nil)
        #expect(specific.refusal(host: "10.9.9.9", origin: nil, fetchSite: nil) != nil)
    }

    @Test(
        "refused requests",
        arguments: [
            ("10.1.2.3", nil, nil, "does not answer to host '10.1.2.3'"),
            ("evil.example", nil, nil, "does not answer to host 'evil.example'"),
            ("rebind.attacker.example:8080", nil, nil, "--public-host rebind.attacker.example"),
            ("127.0.0.1:8080", "http://evil.example", nil, "origin 'http://evil.example'"),
            ("127.0.0.1:8080", "null", nil, "origin 'null'"),
            ("127.0.0.1:8080", "http://127.0.0.1:9999", nil, "only the service's own pages"),
            ("127.0.0.1:8080", "http://localhost:8080", nil, "only the service's own pages"),
            ("127.0.0.1:8080", "http://1.2.3.4", nil, "only the service's own pages"),
            ("127.0.0.1:8080", "http://127.0.0.1:8080/path", nil, "origin"),
            (nil, "http://evil.example", nil, "origin"),
            ("127.0.0.1:8080", nil, "cross-site", "cross-site requests are refused"),
            ("127.0.0.1:8080", nil, "same-site", "cross-site requests are refused"),
        ] as [(String?, String?, String?, String)])
    func refused(host: String?, origin: String?, fetchSite: String?, reason: String) {
        let refusal = Self.policy.refusal(host: host, origin: origin, fetchSite: fetchSite)
        #expect(refusal?.contains(reason) == true, "\(refusal ?? "allowed")")
    }

    @Test(
        "the API answers a cross-origin form post with 403 forbidden and writes nothing",
        arguments: [
            ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("Origin", "null"),
        ])
    func crossOriginPost(header: String, value: String) async throws {
        try await withAPI { client, plane in
            let name = try #require(HTTPField.Name(header))
            let response = try await client.executeRequest(
                uri: "/api/v1/machines", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", name: value],
                body: ByteBuffer(string: "name=web-01&idc=dc1"))
            #expect(response.status == .forbidden)
            #expect(try errorBody(response).code == "forbidden")
            #expect(try await plane.rowCounts().machines == 0)
        }
    }
}
