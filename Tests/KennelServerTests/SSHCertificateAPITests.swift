import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KennelControl
import KennelHost
import KennelModel
import KennelTesting
import Testing

@Suite("SSH certificates: Kennel's CA signs short-lived user certificates that stock OpenSSH reads")
struct SSHCertificateAPITests {
    /// A CA in a fresh private directory (the real `ssh-keygen`).
    private static func authority() -> (OpenSSHCertificateAuthority, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-ca-\(UUID())")
        return (OpenSSHCertificateAuthority(directory: directory.appendingPathComponent("ssh").path), directory)
    }

    /// What `ssh-keygen -L` says of a certificate line.
    private static func inspect(_ certificate: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-cert-\(UUID())-cert.pub")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data((certificate + "\n").utf8).write(to: file)
        return try await LocalCommandRunner().run("ssh-keygen", ["-L", "-f", file.path])
    }

    @Test("a user's key signed: principal user:NAME, a key id naming them, 8 h by default; the CA key is 0600 in a 0700 directory")
    func sign() async throws {
        let (authority, directory) = Self.authority()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAPI(certificateAuthority: authority) { admin, plane in
            let alice = admin.with(token: try await plane.token(forNew: "alice", role: try Role(parsing: "operator"), teams: ["web"]))
            let response = try await alice.postForm("/api/v1/ssh/certificates", [("public_key", TestKeys.ed25519)])
            #expect(response.status == .created)
            let answer = try json(response)
            let line = try #require(answer["certificate"] as? String)
            #expect(line.hasPrefix("ssh-ed25519-cert-v01@openssh.com "))
            #expect(answer["principals"] as? [String] == ["user:alice"])
            let listing = try await Self.inspect(line)
            #expect(listing.contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate"))
            #expect(listing.contains("Key ID: \"kennel:user:alice:"))
            #expect(listing.contains("user:alice"))
            #expect(listing.contains("Signing CA: ED25519"))
            let before = try #require(answer["valid_before"] as? String)
            let after = try #require(answer["valid_after"] as? String)
            let formatter = ISO8601DateFormatter()
            let span = (formatter.date(from: before) ?? .distantPast).timeIntervalSince(formatter.date(from: after) ?? .distantFuture)
            #expect(span == 8 * 3600 + 60)

            let caFile = directory.appendingPathComponent("ssh/user_ca").path
            #expect(try FileManager.default.attributesOfItem(atPath: caFile)[.posixPermissions] as? Int == 0o600)
            #expect(
                try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("ssh").path)[.posixPermissions] as? Int == 0o700)
            let privateKey = try String(contentsOfFile: caFile, encoding: .utf8)
            let audit = String(buffer: try await admin.get("/api/v1/audit").body)
            #expect(audit.contains("ssh.certificate") && !audit.contains(String(privateKey.split(separator: "\n")[1])))
            #expect(!String(buffer: response.body).contains(String(privateKey.split(separator: "\n")[1])))
            let ca = String(buffer: try await alice.get("/api/v1/ssh/ca").body)
            #expect(ca.hasPrefix("ssh-ed25519 ") && !ca.contains("PRIVATE"))
        }
    }

    @Test(
        "bad requests are 422 naming the field",
        arguments: [("public_key", TestKeys.rsa2048), ("validity", "2d"), ("validity", "soon"), ("validity", "0")])
    func refusals(field: String, value: String) async throws {
        let (authority, directory) = Self.authority()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAPI(certificateAuthority: authority) { admin, _ in
            let form = field == "public_key" ? [(field, value)] : [("public_key", TestKeys.ed25519), (field, value)]
            let response = try await admin.postForm("/api/v1/ssh/certificates", form)
            #expect(response.status.code == 422)
            #expect(try errorBody(response).field == field)
        }
    }

    @Test("without a CA, certificates are 503")
    func noAuthority() async throws {
        try await withAPI { admin, _ in
            let response = try await admin.postForm("/api/v1/ssh/certificates", [("public_key", TestKeys.ed25519)])
            #expect(response.status.code == 503)
        }
    }

    @Test("machines trust the CA for their team's members: a start writes the CA key and the principals user:NAME")
    func machinesTrustIt() async throws {
        let (authority, directory) = Self.authority()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAPI(certificateAuthority: authority) { admin, plane in
            await plane.services.sshCertificates.publishAuthority()
            _ = try await plane.token(forNew: "alice", role: try Role(parsing: "operator"), teams: ["web"])
            _ = try await admin.postForm("/api/v1/machines", [("name", "web-01"), ("idc", "dc1"), ("team", "web")])
            let fake = try #require(plane.runtime as? FakeHostRuntime)
            let launch = try #require(await fake.launches[TestSite.value("web-01")])
            #expect(launch.principals == ["user:alice"])
            let caKey = try await authority.publicKey()
            #expect(launch.userCA == caKey)
            _ = try await plane.token(forNew: "bob", role: try Role(parsing: "operator"))
            _ = try await admin.postForm("/api/v1/teams/web/members", [("user", "bob")])
            await plane.services.accessSync.settle()
            #expect(await fake.accessPrincipals[TestSite.value("web-01")] == ["user:alice", "user:bob"], "a new member's certificates work at once")
        }
    }
}
