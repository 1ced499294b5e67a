import Foundation
import KennelControl
import KennelModel

/// The user CA as `ssh-keygen` keeps and uses it: `DIRECTORY/user_ca` (0600, in a 0700
/// directory) made on first use, certificates signed with `ssh-keygen -s` on a copy of
/// the user's public key in a private temporary directory removed after. The private key
/// is never read by Kennel, logged or returned.
public actor OpenSSHCertificateAuthority: CertificateAuthority {
    private let directory: String
    private let runner: any CommandRunner

    public init(directory: String, runner: any CommandRunner = LocalCommandRunner()) {
        self.directory = directory
        self.runner = runner
    }

    private var keyPath: String { directory + "/user_ca" }

    public func publicKey() async throws -> SSHPublicKey {
        try await ensureKey()
        let text = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8)
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count >= 2 else { throw KennelError(.internal, "the SSH user CA's public key \(keyPath).pub is unreadable") }
        return try SSHPublicKey(parsing: "\(parts[0]) \(parts[1])")
    }

    public func sign(_ key: SSHPublicKey, keyID: String, principals: [String], seconds: Int, serial: UInt64) async throws -> String {
        try await ensureKey()
        let scratch = directory + "/sign-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data((key.description + "\n").utf8).write(to: URL(fileURLWithPath: scratch + "/key.pub"))
        _ = try await runner.run(
            "ssh-keygen",
            [
                "-q", "-s", keyPath, "-I", keyID, "-n", principals.joined(separator: ","), "-V", "-60s:+\(seconds)s", "-z", "\(serial)",
                scratch + "/key.pub",
            ])
        let certificate = try String(contentsOfFile: scratch + "/key-cert.pub", encoding: .utf8)
        return certificate.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes the CA key once: its directory 0700, the key 0600 (as `ssh-keygen` writes it).
    private func ensureKey() async throws {
        guard !FileManager.default.fileExists(atPath: keyPath) else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            _ = try await runner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kennel-user-ca", "-f", keyPath])
        } catch {
            throw KennelError(.unavailable, "the SSH user CA cannot be made here (is ssh-keygen, from openssh-client, installed?): \(error)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
    }
}
