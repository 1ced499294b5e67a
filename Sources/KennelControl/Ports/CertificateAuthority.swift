import KennelModel

/// Kennel's SSH user certificate authority: an Ed25519 key that never leaves its file
/// (mode 0600), whose public half machines trust (`TrustedUserCAKeys`).
public protocol CertificateAuthority: Sendable {
    /// The CA's public key, made on first use.
    func publicKey() async throws -> SSHPublicKey
    /// Signs `key` as a user certificate named `keyID` for `principals`, valid from a
    /// minute ago for `seconds` from now; answers the certificate line
    /// (`ssh-ed25519-cert-v01@openssh.com AAAA…`).
    func sign(_ key: SSHPublicKey, keyID: String, principals: [String], seconds: Int, serial: UInt64) async throws -> String
}
