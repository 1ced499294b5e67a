/// The fields of one request, as text, whichever encoding they arrived in (form or JSON).
///
/// It refuses fields that are not expected and fields given twice (except the repeatable
/// ones, such as `ssh_key`), and turns each field into its value type, naming the field in
/// every error.
public struct RequestFields: Sendable {
    private var values: [String: String]
    private var lists: [String: [String]]
    /// Every field name given, including those given empty.
    public let given: Set<String>

    /// Collects `pairs`, refusing names outside `allowed` and names given twice unless they
    /// are in `repeatable`. An empty value counts as absent, as an empty form input does.
    public init(_ pairs: [(name: String, value: String)], allowed: Set<String>, repeatable: Set<String> = []) throws(KennelError) {
        var values: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for (name, value) in pairs {
            guard allowed.contains(name) || repeatable.contains(name) else {
                let expected = allowed.union(repeatable).sorted().joined(separator: ", ")
                throw KennelError(.unknownField, "unknown field '\(Echo.short(name))'; expected one of: \(expected)", field: Echo.short(name))
            }
            if repeatable.contains(name) {
                lists[name, default: []].append(value)
                continue
            }
            guard values[name] == nil else {
                throw KennelError.invalid(name, "given more than once")
            }
            values[name] = value
        }
        self.values = values.filter { !$0.value.isEmpty }
        self.lists = lists.mapValues { $0.filter { !$0.isEmpty } }
        self.given = Set(values.keys).union(lists.keys)
    }

    /// Whether the field was given at all, even empty (for updates, empty clears it).
    public func isGiven(_ name: String) -> Bool { given.contains(name) }

    /// The raw text of a field, if present and not empty.
    public func text(_ name: String) -> String? { values[name] }

    /// The parsed value of a required field.
    public func required<Value: ParsableValue>(_ name: String, as type: Value.Type = Value.self) throws(KennelError) -> Value {
        guard let value = try optional(name, as: type) else { throw KennelError.missing(name) }
        return value
    }

    /// The parsed value of an optional field, or nil when absent.
    public func optional<Value: ParsableValue>(_ name: String, as type: Value.Type = Value.self) throws(KennelError) -> Value? {
        guard let text = values[name] else { return nil }
        do {
            return try Value(parsing: text)
        } catch {
            throw KennelError.invalid(name, error.reason)
        }
    }

    /// The parsed values of a repeatable field, in the order given; empty when absent.
    /// An error names the field and which of its values is bad.
    public func all<Value: ParsableValue>(_ name: String, as type: Value.Type = Value.self) throws(KennelError) -> [Value] {
        var parsed: [Value] = []
        for (index, text) in (lists[name] ?? []).enumerated() {
            do {
                parsed.append(try Value(parsing: text))
            } catch {
                throw KennelError.invalid(name, "value \(index + 1): \(error.reason)")
            }
        }
        return parsed
    }

    /// The parsed value of an optional field, or `fallback` when absent.
    public func value<Value: ParsableValue>(_ name: String, default fallback: Value) throws(KennelError) -> Value {
        try optional(name, as: Value.self) ?? fallback
    }
}
