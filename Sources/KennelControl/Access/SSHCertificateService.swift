import Foundation
import KennelModel
import Logging

/// Short-lived SSH user certificates: a user's public key signed by Kennel's CA with one
/// principal, `user:NAME`, that a machine accepts while its principals file lists it —
/// its team's members, rewritten within seconds by `AccessSync` when membership changes
/// or a user is removed. So a removed user's certificates stop working at once, without
/// a revocation list; their validity (8 h by default, never past the token that asked)
/// bounds the rest.
public struct SSHCertificateService: Sendable {
    private let store: any MachineStore
    private let authority: (any CertificateAuthority)?
    private let environment: ServiceEnvironment
    private let logger: Logger

    /// How long a certificate lives when the request does not say.
    public static let defaultValidity = Period.hour.times(8)
    /// The longest a certificate may live.
    public static let longestValidity = Period.day

    init(store: any MachineStore, authority: (any CertificateAuthority)?, environment: ServiceEnvironment, logger: Logger) {
        self.store = store
        self.authority = authority
        self.environment = environment
        self.logger = logger
    }

    /// The CA's public key (what machines trust), or 503 without a CA.
    public func authorityKey() async throws -> SSHPublicKey {
        try await ca().publicKey()
    }

    /// At start-up: makes the CA key if there is none and records its public half, which
    /// every start then writes into machines (`TrustedUserCAKeys`). Without `ssh-keygen`
    /// (a bare demo machine) it is logged, and machines trust no CA.
    public func publishAuthority() async {
        guard let authority else { return }
        do {
            let key = try await authority.publicKey()
            try await store.transaction { store in try store.setUserCAKey(key) }
        } catch {
            logger.warning("ssh.ca-unavailable", metadata: ["cause": "\(error)"])
        }
    }

    /// Signs `key` for the caller: 422 naming `public_key` for a key not accepted (the
    /// same rules as registered keys) or `validity` of nothing or over a day; the validity
    /// is cut to the caller's token's remaining life. Audited with its serial and principals.
    public func sign(_ key: SSHPublicKey, validity: Period?, by requester: Requester) async throws -> SSHCertificate {
        let authority = try ca()
        do {
            _ = try SSHKeyBlob(of: key)
        } catch {
            throw KennelError.invalid("public_key", error.reason)
        }
        let asked = validity ?? Self.defaultValidity
        guard asked.seconds > 0 else { throw KennelError.invalid("validity", "must be more than 0 (e.g. 8h)") }
        guard asked.seconds <= Self.longestValidity.seconds else {
            throw KennelError.invalid("validity", "at most \(Self.longestValidity) (certificates are short-lived; ask again)")
        }
        let now = environment.now()
        var seconds = asked.seconds
        if let expiry = requester.principal.credentialExpiresAt {
            seconds = min(seconds, max(1, Int(expiry.timeIntervalSince(now))))
        }
        let user = requester.user
        guard try await store.snapshot({ store in try store.user(named: user) }) != nil else {
            throw KennelError(.forbidden, "only users get SSH certificates")
        }
        let serial = UInt64.random(in: 1...UInt64(Int64.max))
        let principals = ["user:\(user)"]
        let keyID = "kennel:user:\(user):\(serial)"
        let line = try await authority.sign(key, keyID: keyID, principals: principals, seconds: seconds, serial: serial)
        let certificate = SSHCertificate(
            line: line, keyID: keyID, serial: serial, principals: principals, validAfter: now.addingTimeInterval(-60),
            validBefore: now.addingTimeInterval(TimeInterval(seconds)))
        try await store.transaction { store -> Void in
            try AuditTrail(requester: requester, at: now).record("ssh.certificate", "user", user.value, after: certificate.audited, in: store)
        }
        logger.info("ssh.certificate", metadata: ["user": "\(user)", "serial": "\(serial)", "seconds": "\(seconds)"])
        return certificate
    }

    private func ca() throws -> any CertificateAuthority {
        guard let authority else { throw KennelError(.unavailable, "this Kennel has no SSH certificate authority") }
        return authority
    }
}

/// A signed user certificate and what it says.
public struct SSHCertificate: Sendable, Equatable {
    /// The certificate line, to save as `KEY-cert.pub` beside the private key.
    public let line: String
    public let keyID: String
    public let serial: UInt64
    public let principals: [String]
    public let validAfter: Date
    public let validBefore: Date

    /// What the audit log keeps (all of it public).
    var audited: [String: String] {
        ["key_id": keyID, "serial": "\(serial)", "principals": principals.joined(separator: ","), "valid_before": "\(validBefore)"]
    }
}
