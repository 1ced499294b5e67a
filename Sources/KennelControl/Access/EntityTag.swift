import Crypto
import Foundation
import KennelModel

/// Optimistic concurrency: the `ETag` of a stored object (a hash of its stored state, not
/// of a view, so what runs inside a machine does not change it) and the `If-Match` check
/// a change runs inside its transaction.
public enum EntityTag {
    /// The quoted tag of `value`: the first 16 bytes of the SHA-256 of its sorted JSON.
    public static func of(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data()
        return "\"" + SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Refuses with 412 `precondition_failed` unless `ifMatch` is absent, `*`, or lists
    /// the current tag of `value` (weak tags compare by their opaque part).
    public static func check(_ ifMatch: String?, against value: some Encodable, kind: String, name: String) throws {
        guard let ifMatch else { return }
        let current = of(value)
        let given = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !given.contains("*"), !given.contains(where: { $0 == current || $0 == "W/" + current }) else { return }
        throw KennelError(
            .preconditionFailed,
            "\(kind) \(name) changed since it was read (If-Match \(Echo.short(ifMatch, limit: 80)), now \(current)); read it again")
    }
}
