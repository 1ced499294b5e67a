import GRDB

/// A `WHERE` clause from optional equality conditions: `column = ?` for each given value.
struct SQLFilter {
    private(set) var clause = ""
    private(set) var arguments: [String] = []

    init(_ conditions: [(column: String, value: String?)]) {
        let given = conditions.compactMap { condition in condition.value.map { (condition.column, $0) } }
        guard !given.isEmpty else { return }
        clause = "WHERE " + given.map { "\($0.0) = ?" }.joined(separator: " AND ")
        arguments = given.map(\.1)
    }

    var statementArguments: StatementArguments { StatementArguments(arguments) }
}
