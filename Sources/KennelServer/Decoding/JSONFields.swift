import KennelModel

/// The one JSON type each request field takes, so that JSON and form bodies reach the
/// same parsers with the same text: names, sizes, addresses and other words are strings
/// (`"memory": "4G"`, never `4096`); counts are integers (`"cpus": 2`, never `"2"`);
/// ratios are numbers; lists are arrays; a repeatable field is a string or an array of
/// strings; flags are booleans (the form's `"1"`/`"0"` text is taken too). `null` is the
/// same as leaving the field out.
enum JSONFieldType: Equatable {
    case text
    case count
    case ratio
    case list(of: Item)
    case repeatable
    case flag

    /// What a list holds.
    enum Item: Equatable { case text, count }

    /// Every field of every request body, by name; a name not here is `text` (and is
    /// refused as unknown by the request's own field list).
    static let byField: [String: JSONFieldType] = [
        "cpus": .count, "vlan": .count, "seconds": .count,
        "cpu_overcommit": .ratio, "memory_overcommit": .ratio, "disk_overcommit": .ratio, "bandwidth_overcommit": .ratio,
        "zones": .list(of: .text), "ranges": .list(of: .text), "exclude": .list(of: .text), "dns": .list(of: .text),
        "labels": .list(of: .text), "host_labels": .list(of: .text), "vlans": .list(of: .count),
        "ssh_key": .repeatable,
        "force": .flag, "wait": .flag, "allow_shrink": .flag,
    ]

    static func of(_ field: String) -> JSONFieldType { byField[field] ?? .text }

    var expected: String {
        switch self {
        case .text: "a string"
        case .count: "an integer"
        case .ratio: "a number"
        case .list(of: .text): "an array of strings"
        case .list(of: .count): "an array of integers"
        case .repeatable: "a string or an array of strings"
        case .flag: "true or false"
        }
    }
}

/// A JSON body as the (name, text) pairs a form would carry, each value checked against
/// its field's one JSON type. Duplicate keys, nested objects and wrong types are 422
/// naming the field.
enum JSONFields {
    static func pairs(from bytes: [UInt8]) throws(KennelError) -> [(name: String, value: String)] {
        var seen: Set<String> = []
        var pairs: [(name: String, value: String)] = []
        for (key, value) in try JSONScanner.members(of: bytes) {
            let name = Echo.short(key)
            guard seen.insert(name).inserted else {
                throw KennelError.invalid(name, "is given twice; give it once")
            }
            pairs += try texts(of: value, for: name, as: JSONFieldType.of(name)).map { (name, $0) }
        }
        return pairs
    }

    /// The form text(s) for one value; empty for `null`.
    static func texts(of value: JSONValue, for name: String, as type: JSONFieldType) throws(KennelError) -> [String] {
        switch (type, value) {
        case (_, .null): return []
        case (.text, .string(let text)): return [text]
        case (.count, .number(let text)) where Int64(text) != nil: return [text]
        case (.ratio, .number(let text)): return [text]
        case (.flag, .bool(let flag)): return [flag ? "1" : "0"]
        case (.flag, .string(let text)): return [text]
        case (.repeatable, .string(let text)): return [text]
        case (.repeatable, .array(let items)):
            return try items.map { (item) throws(KennelError) in try itemText(item, for: name, as: .text) }
        case (.list(let kind), .array(let items)):
            return [try items.map { (item) throws(KennelError) in try itemText(item, for: name, as: kind) }.joined(separator: ",")]
        default:
            throw wrongType(name, type, value)
        }
    }

    private static func itemText(_ item: JSONValue, for name: String, as kind: JSONFieldType.Item) throws(KennelError) -> String {
        switch (kind, item) {
        case (.text, .string(let text)): return text
        case (.count, .number(let text)) where Int64(text) != nil: return text
        default:
            let type: JSONFieldType = kind == .text ? .list(of: .text) : .list(of: .count)
            throw KennelError.invalid(name, "must be \(type.expected), and one item is \(item.kind)")
        }
    }

    private static func wrongType(_ name: String, _ type: JSONFieldType, _ value: JSONValue) -> KennelError {
        var message = "must be \(type.expected), not \(value.kind)"
        if type == .text, case .number(let text) = value {
            message += " (write \"\(Echo.short(text, limit: 20))\" with its unit for sizes, e.g. \"\(Echo.short(text, limit: 20))M\")"
        } else if type == .count, case .string(let text) = value, Int64(text) != nil {
            message += " (write \(text) without quotes)"
        }
        return KennelError.invalid(name, message)
    }
}
