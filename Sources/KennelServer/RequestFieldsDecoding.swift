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
        let text = String(buffer: body)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            let pairs = try JSONFields.pairs(from: Data(text.utf8), repeatable: repeatable)
            return try RequestFields(pairs, allowed: allowed, repeatable: repeatable)
        }
        guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw KennelError(.badRequest, "send application/x-www-form-urlencoded or application/json, not \(contentType)")
        }
        return try RequestFields(try FormEncoding.pairs(from: text), allowed: allowed, repeatable: repeatable)
    }
}

/// `application/x-www-form-urlencoded`, as `curl -d` and HTML forms send it.
enum FormEncoding {
    /// Splits `a=1&b=two+words` into its decoded pairs.
    static func pairs(from text: String) throws(KennelError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(pieces[0])
            let value = pieces.count > 1 ? try decode(pieces[1]) : ""
            pairs.append((name, value))
        }
        return pairs
    }

    private static func decode(_ text: Substring) throws(KennelError) -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw KennelError(.badRequest, "malformed percent-encoding in form body near '\(text.prefix(40))'")
        }
        return decoded
    }
}

/// A JSON object whose values are strings, numbers, booleans, null, or arrays of those
/// (an array becomes the comma-separated list a form field would carry, or, for a
/// repeatable field, one value per item).
enum JSONFields {
    private enum Scalar: Decodable {
        case text(String), list([String]), null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = Self.text(container) { self = .text(value) }
            else if let values = try? container.decode([Item].self) { self = .list(values.map(\.text)) }
            else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be a string, number, boolean, null, or an array of those")
            }
        }

        static func text(_ container: any SingleValueDecodingContainer) -> String? {
            if let value = try? container.decode(String.self) { return value }
            if let value = try? container.decode(Bool.self) { return value ? "true" : "false" }
            if let value = try? container.decode(Int64.self) { return String(value) }
            if let value = try? container.decode(Double.self) { return String(value) }
            return nil
        }
    }

    private struct Item: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            guard let text = Scalar.text(container) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "list items must be strings or numbers")
            }
            self.text = text
        }
    }

    static func pairs(from data: Data, repeatable: Set<String> = []) throws(KennelError) -> [(name: String, value: String)] {
        let object: [String: Scalar]
        do {
            object = try JSONDecoder().decode([String: Scalar].self, from: data)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let field = context.codingPath[0].stringValue
            throw KennelError.invalid(field, context.debugDescription)
        } catch {
            throw KennelError(.badRequest, "the body is not a JSON object of fields")
        }
        return object.sorted { $0.key < $1.key }.flatMap { name, value -> [(name: String, value: String)] in
            switch value {
            case .text(let text): [(name, text)]
            case .list(let items) where repeatable.contains(name): items.map { (name, $0) }
            case .list(let items): [(name, items.joined(separator: ","))]
            case .null: []
            }
        }
    }
}
