import Foundation

/// A JSON value as exports write it; read with `JSONDecoder`, so booleans, numbers and
/// strings are told apart the same way on every platform.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `data`; a file that is not JSON is an issue.
    public static func parse(_ data: Data) throws(ImportIssue) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let reason: String
            if case DecodingError.dataCorrupted(let context) = error {
                reason = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            } else {
                reason = "\(error)"
            }
            throw ImportIssue("not JSON: \(reason.prefix(200))")
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// A string, a number as text, a boolean as `true`/`false`, or the `name` / `value` /
    /// `label` / `display` / `slug` of an object (NetBox nests them so).
    public var text: String? {
        switch self {
        case .string(let text): return text.trimmingASCIIWhitespace()
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let value): return value ? "true" : "false"
        case .object(let object):
            for key in ["name", "value", "label", "display", "slug"] { if let text = object[key]?.text { return text } }
            return nil
        case .null, .array: return nil
        }
    }

    /// The objects of an API answer: a page's list under one of `keys` (NetBox `results`,
    /// Nova `servers` / `flavors`), a list of such pages, or a plain list of objects.
    public func objects(under keys: [String]) throws(ImportIssue) -> [[String: JSONValue]] {
        func page(_ value: JSONValue) -> [[String: JSONValue]]? {
            guard case .object(let object) = value else { return nil }
            for key in keys { if case .array(let list)? = object[key] { return list.compactMap(\.objectValue) } }
            return nil
        }
        if let found = page(self) { return found }
        guard case .array(let list) = self else {
            throw ImportIssue("the JSON is neither a list of objects nor a page with \(keys.map { "\"\($0)\"" }.joined(separator: " or "))")
        }
        let pages = list.compactMap(page)
        if !pages.isEmpty, pages.count == list.count { return pages.flatMap { $0 } }
        let plain = list.compactMap(\.objectValue)
        guard plain.count == list.count else { throw ImportIssue("the JSON list holds something other than objects") }
        return plain
    }
}

extension Optional where Wrapped == JSONValue {
    /// A number (or a numeric string), nil when absent; anything else is a problem named by `field`.
    func number(_ field: String, row: Int, issues: inout [ImportIssue]) -> Double? {
        switch self {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case .string(let text)?:
            do {
                return try CellParsers.decimal(text)
            } catch {
                issues.append(ImportIssue(row: row, column: field, error.message))
                return nil
            }
        default:
            issues.append(ImportIssue(row: row, column: field, "not a number"))
            return nil
        }
    }

    var text: String? { self?.text }
}
