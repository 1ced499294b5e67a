import Foundation
import KennelModel
import KennelTesting
import Testing

@Suite("SSH keys: what a body holds is checked the way sshd reads it")
struct SSHKeyBlobTests {
    @Test(
        "accepted keys and their sizes",
        arguments: [
            (TestKeys.ed25519, 256), (TestKeys.ecdsa256, 256), (TestKeys.ecdsa384, 384), (TestKeys.ecdsa521, 521), (TestKeys.rsa3072, 3072),
        ])
    func accepted(line: String, bits: Int) throws {
        #expect(try SSHKeyBlob(of: try SSHPublicKey(parsing: line)).bits == bits)
    }

    /// A key line with its type swapped for `type`, or its body for `body`.
    private static func swapped(type: String? = nil, body: String? = nil) -> String {
        let parts = TestKeys.ed25519.split(separator: " ").map(String.init)
        return [type ?? parts[0], body ?? parts[1], parts[2]].joined(separator: " ")
    }

    /// The Ed25519 key's body with bytes appended or cut.
    private static func body(appending extra: [UInt8] = [], droppingLast cut: Int = 0) -> String {
        let parts = TestKeys.ed25519.split(separator: " ")
        let bytes = Data(base64Encoded: String(parts[1])) ?? Data()
        return (bytes.dropLast(cut) + Data(extra)).base64EncodedString()
    }

    @Test(
        "refused: why is said",
        arguments: [
            (TestKeys.rsa2048, "at least 3072 bits; this one has 2048"),
            (swapped(type: "ssh-rsa"), "is a ssh-ed25519 key, not ssh-rsa"),
            (swapped(body: "AAAAC3NzaC1lZDI1NTE5AAAAIA/3/FuE8xs5/gURd+eofSJWvGZGXYkJ7PHfLpP1lSC"), "not valid base64"),
            (swapped(body: body(droppingLast: 4)), "not 32 bytes"),
            (swapped(body: body(appending: [0, 0, 0, 1, 65])), "bytes after the key"),
            (swapped(type: "sk-ssh-ed25519@openssh.com"), "is a ssh-ed25519 key"),
        ])
    func refused(line: String, reason: String) throws {
        let key = try SSHPublicKey(parsing: line)
        let error = #expect(throws: InvalidValue.self) { try SSHKeyBlob(of: key) }
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "no error")")
    }

    @Test(
        "lines that never reach the body check: options before the key, CR/LF inside, a type sshd does not know",
        arguments: [
            #"command="/bin/sh" "# + TestKeys.ed25519, "restrict,pty " + TestKeys.ed25519, TestKeys.ed25519 + "\r\nssh-ed25519 AAAA x",
            TestKeys.ed25519.replacingOccurrences(of: " alice", with: "\n alice"), "ssh-dss AAAAB3NzaC1kc3MAAACBAP alice", "",
        ])
    func lines(line: String) {
        #expect(throws: InvalidValue.self) { try SSHPublicKey(parsing: line) }
    }

    @Test("a fingerprint is SHA256: and 43 base64 characters; the prefix may be left out and a space is a + from a query string")
    func fingerprints() throws {
        #expect(try KeyFingerprint(parsing: TestKeys.ecdsa256Fingerprint).value == TestKeys.ecdsa256Fingerprint)
        #expect(try KeyFingerprint(parsing: String(TestKeys.rsa3072Fingerprint.dropFirst(7))).value == TestKeys.rsa3072Fingerprint)
        #expect(
            try KeyFingerprint(parsing: TestKeys.rsa3072Fingerprint.replacingOccurrences(of: "+", with: " ")).value == TestKeys.rsa3072Fingerprint)
        #expect(throws: InvalidValue.self) { try KeyFingerprint(parsing: "SHA256:short") }
        #expect(throws: InvalidValue.self) { try KeyFingerprint(parsing: "MD5:aa:bb") }
    }
}
