import Foundation
import Yams

/// The API's OpenAPI 3.1 document. It is written by hand in `openapi.yaml` beside this
/// file (reviewed with the routes it describes; a test holds the two together) and served
/// as JSON at `/api/v1/openapi.json`.
public enum OpenAPIDocument {
    /// The document as pretty-printed JSON with sorted keys.
    public static func json() throws -> Data {
        try cached.get()
    }

    /// The document as its YAML source.
    public static func yaml() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw DocumentError("openapi.yaml is missing from the KennelServer resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    private static let cached = Result { try render(yaml: try yaml()) }

    /// `yaml` as JSON: plain scalars take the YAML type they resolve to (integer, number,
    /// boolean, null), quoted ones stay strings.
    static func render(yaml: String) throws -> Data {
        guard let node = try Yams.compose(yaml: yaml) else { throw DocumentError("the document is empty") }
        return try JSONSerialization.data(
            withJSONObject: try value(of: node), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private static func value(of node: Node) throws -> Any {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return NSNull()
            case Tag.Name.bool.rawValue: return node.bool ?? scalar.string
            case Tag.Name.int.rawValue: return node.int ?? scalar.string
            case Tag.Name.float.rawValue: return node.float ?? scalar.string
            default: return scalar.string
            }
        case .sequence(let sequence):
            return try sequence.map { try value(of: $0) }
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, item) in mapping {
                guard case .scalar(let name) = key else { throw DocumentError("a key that is not text near \(key.mark.map { "\($0)" } ?? "?")") }
                object[name.string] = try value(of: item)
            }
            return object
        case .alias:
            throw DocumentError("YAML aliases are not used in the document")
        }
    }

    struct DocumentError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
