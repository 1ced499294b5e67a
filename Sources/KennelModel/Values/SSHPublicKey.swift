/// One OpenSSH public key line: `ssh-ed25519 AAAAC3Nza… alice@laptop`. The key type must
/// be one OpenSSH accepts, the body base64, the comment free of control characters; the
/// line never spans lines, so it cannot smuggle options into `authorized_keys`.
public struct SSHPublicKey: ParsableValue, Hashable, Codable {
    public let type: String
    public let body: String
    public let comment: String?

    static let types: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    public init(parsing text: String) throws(InvalidValue) {
        guard text.utf8.count <= 16_384, !text.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 && $0 != 0x09 } ?? false) })
        else { throw InvalidValue("must be one line of at most 16 KiB") }
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, Self.types.contains(String(parts[0])) else {
            throw InvalidValue("must start with a key type such as ssh-ed25519 or ssh-rsa")
        }
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        guard parts[1].count >= 16, parts[1].allSatisfy(base64.contains) else { throw InvalidValue("the key body is not base64") }
        type = String(parts[0])
        body = String(parts[1])
        comment = parts.count == 3 ? String(parts[2]) : nil
    }

    public var description: String { [type, body, comment].compactMap { $0 }.joined(separator: " ") }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
