import Crypto
import Foundation

/// An API token's secret: `kennel_` and 43 base64url characters (256 random bits). Only
/// its SHA-256 hash is ever stored; the secret is shown once, when made.
public struct TokenSecret: Sendable, Equatable, CustomStringConvertible {
    /// The text a client sends as `Authorization: Bearer …`.
    public let text: String

    static let prefix = "kennel_"

    /// A new random secret.
    public static func generate() -> TokenSecret {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return TokenSecret(verified: prefix + Self.base64URL(bytes))
    }

    private init(verified text: String) { self.text = text }

    /// Accepts text that has the shape of a secret; nil otherwise (checked before any
    /// lookup, so a malformed header costs nothing).
    public init?(presented text: String) {
        guard text.hasPrefix(Self.prefix), text.utf8.count == Self.prefix.utf8.count + 43,
            text.utf8.dropFirst(Self.prefix.utf8.count).allSatisfy(Self.isBase64URL)
        else { return nil }
        self.text = text
    }

    /// The hex SHA-256 of the secret: what the store keeps and looks up.
    public var sha256: String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Never the secret itself: descriptions end up in logs.
    public var description: String { "kennel_…" }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
