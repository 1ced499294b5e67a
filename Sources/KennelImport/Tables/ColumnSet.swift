import KennelModel

/// The columns a reader wants, found once per table by their header keys (the first
/// alias present wins), and read per record with problems named by row and column.
struct ColumnSet<Field: Hashable & Sendable>: Sendable {
    private let indices: [Field: Int]
    private let header: [String]

    /// Finds each field's column: the first of its aliases that the header has, keys
    /// compared after dropping `prefix` (RVTools' `vInfo`).
    init(_ table: DelimitedTable, aliases: [(Field, [HeaderKey])], prefix: String = "") {
        var positions: [HeaderKey: Int] = [:]
        for (index, name) in table.header.enumerated() {
            let key = HeaderKey(name).dropping(prefix: prefix)
            if positions[key] == nil { positions[key] = index }
        }
        var indices: [Field: Int] = [:]
        for (field, keys) in aliases {
            if let index = keys.lazy.compactMap({ positions[$0] }).first { indices[field] = index }
        }
        self.indices = indices
        self.header = table.header
    }

    func has(_ field: Field) -> Bool { indices[field] != nil }

    /// The header of `field`'s column, if found.
    func header(_ field: Field) -> String? { indices[field].map { header[$0] } }

    /// The columns found, by index.
    var used: Set<Int> { Set(indices.values) }

    /// The trimmed text of `field` in `record`, nil when absent or empty.
    func text(_ field: Field, _ record: DelimitedTable.Record) -> String? {
        guard let index = indices[field] else { return nil }
        let value = record.trimmed(index)
        return value.isEmpty ? nil : value
    }

    /// Reads `field` with `parse`; a problem goes to `issues` with the row and column.
    func value<Value>(
        _ field: Field, _ record: DelimitedTable.Record, issues: inout [ImportIssue],
        _ parse: (String) throws(CellProblem) -> Value?
    ) -> Value? {
        guard let index = indices[field] else { return nil }
        do {
            return try parse(record[index])
        } catch {
            issues.append(ImportIssue(row: record.row, column: header[index], error.message))
            return nil
        }
    }
}
