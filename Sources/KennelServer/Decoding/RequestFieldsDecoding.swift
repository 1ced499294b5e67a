import Foundation
import Hummingbird
import KennelModel

/// Reads a request body, form-encoded or JSON, into `RequestFields`, so that both
/// encodings go through exactly the same validation.
enum RequestFieldsDecoding {
    /// Bodies larger than this are refused.
    static let maximumBodySize = 1 << 20

    /// The fields of `request`; names in `repeatable` may come several times (a JSON array
    /// gives one value per item for them).
    static func fields(of request: Request, allowed: Set<String>, repeatable: Set<String> = []) async throws -> RequestFields {
        let body = try await request.body.collect(upTo: maximumBodySize)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            let pairs = try JSONFields.pairs(from: Array(body.readableBytesView))
            return try RequestFields(pairs, allowed: allowed, repeatable: repeatable)
        }
        guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw KennelError(.badRequest, "send application/x-www-form-urlencoded or application/json, not \(Echo.short(contentType))")
        }
        return try RequestFields(try FormEncoding.pairs(from: String(buffer: body)), allowed: allowed, repeatable: repeatable)
    }
}

/// `application/x-www-form-urlencoded`, as `curl -d` and HTML forms send it.
public enum FormEncoding {
    /// Splits `a=1&b=two+words` into its decoded pairs. A key without `=` is refused
    /// naming it: `name` alone is more likely a mistake than a way to write `name=`.
    public static func pairs(from text: String) throws(KennelError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(pieces[0])
            guard pieces.count > 1 else {
                throw KennelError.invalid(Echo.short(name), "has no '=': write \(Echo.short(name))=VALUE (or \(Echo.short(name))= for empty)")
            }
            pairs.append((name, try decode(pieces[1])))
        }
        return pairs
    }

    private static func decode(_ text: Substring) throws(KennelError) -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw KennelError(.badRequest, "malformed percent-encoding in form body near '\(Echo.short(String(text)))'")
        }
        return decoded
    }
}
