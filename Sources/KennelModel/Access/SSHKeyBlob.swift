import Foundation

/// What a public key's base64 body holds, checked the way `sshd` reads it (RFC 4253
/// §6.6, RFC 5656, RFC 8709, OpenSSH's PROTOCOL.u2f): the type named inside must be the
/// line's type, each field whole, nothing after the last, and the key strong enough to
/// register — Ed25519, ECDSA on NIST P-256/384/521, or RSA of at least 3072 bits
/// (security-key variants of the first two included).
public struct SSHKeyBlob: Sendable, Equatable {
    /// The key's size in bits (256 for Ed25519, the curve's for ECDSA, the modulus's for RSA).
    public let bits: Int
    /// The decoded body (what the SHA256 fingerprint hashes).
    public let bytes: Data

    /// The smallest RSA modulus a user key may have.
    public static let minimumRSABits = 3072

    /// Checks `key`'s body against its type.
    public init(of key: SSHPublicKey) throws(InvalidValue) {
        guard let bytes = Data(base64Encoded: key.body) else { throw InvalidValue("the key body is not valid base64") }
        var reader = WireReader(bytes)
        guard let inner = reader.string().flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw InvalidValue("the key body does not start with its type")
        }
        guard inner == key.type else { throw InvalidValue("the key body is a \(Echo.short(inner)) key, not \(key.type)") }
        switch key.type {
        case "ssh-ed25519", "sk-ssh-ed25519@openssh.com":
            guard reader.string()?.count == 32 else { throw InvalidValue("the Ed25519 key is not 32 bytes") }
            bits = 256
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com":
            let curve = key.type.hasPrefix("sk-") ? "nistp256" : String(key.type.dropFirst("ecdsa-sha2-".count))
            let size = ["nistp256": 256, "nistp384": 384, "nistp521": 521][curve] ?? 0
            guard reader.string().flatMap({ String(data: $0, encoding: .utf8) }) == curve else {
                throw InvalidValue("the ECDSA key names another curve than \(curve)")
            }
            let point = reader.string()
            guard let point, point.first == 4, point.count == 1 + 2 * ((size + 7) / 8) else {
                throw InvalidValue("the ECDSA key is not an uncompressed point on \(curve)")
            }
            bits = size
        case "ssh-rsa":
            guard let exponent = reader.string(), !exponent.isEmpty, let modulus = reader.string() else {
                throw InvalidValue("the RSA key lacks its exponent or modulus")
            }
            let significant = modulus.drop { $0 == 0 }
            let length = significant.first.map { significant.count * 8 - $0.leadingZeroBitCount } ?? 0
            guard length >= Self.minimumRSABits else {
                throw InvalidValue("RSA keys need at least \(Self.minimumRSABits) bits; this one has \(length)")
            }
            bits = length
        default:
            throw InvalidValue("\(key.type) keys are not accepted: use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of 3072 bits or more")
        }
        if key.type.hasPrefix("sk-") {
            guard reader.string() != nil else { throw InvalidValue("the security key lacks its application") }
        }
        guard reader.isAtEnd else { throw InvalidValue("the key body has bytes after the key") }
        self.bytes = bytes
    }
}

/// Reads SSH wire strings (a 32-bit big-endian length, then that many bytes).
struct WireReader {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    var isAtEnd: Bool { offset == data.endIndex }

    /// The next string, nil when the data ends before it does.
    mutating func string() -> Data? {
        guard data.endIndex - offset >= 4 else { return nil }
        let length = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        guard data.endIndex - offset - 4 >= length else { return nil }
        let value = data[offset + 4..<offset + 4 + length]
        offset += 4 + length
        return Data(value)
    }
}
