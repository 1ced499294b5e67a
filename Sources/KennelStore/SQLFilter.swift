import GRDB

/// A `WHERE` clause built from optional conditions, with their arguments in order.
struct SQLFilter {
    private var conditions: [String] = []
    private var values: [any DatabaseValueConvertible & Sendable] = []

    init() {}

    /// `column = ?` for each given value; absent values add nothing.
    init(_ equalities: [(column: String, value: String?)]) {
        for (column, value) in equalities { if let value { add("\(column) = ?", value) } }
    }

    /// Adds one condition with its argument.
    mutating func add(_ condition: String, _ value: any DatabaseValueConvertible & Sendable) {
        conditions.append(condition)
        values.append(value)
    }

    /// Adds one condition without arguments (a constant of Kennel's own, never user text).
    mutating func add(_ condition: StaticString) {
        conditions.append("\(condition)")
    }

    /// `WHERE a AND b…`, or nothing.
    var clause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    var statementArguments: StatementArguments { StatementArguments(values) }

    /// The arguments followed by more (a LIMIT, say).
    func arguments(appending more: any DatabaseValueConvertible & Sendable...) -> StatementArguments {
        StatementArguments(values + more)
    }
}
