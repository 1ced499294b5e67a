import KennelModel

/// Rows of one import that claim the same machine name, address, MAC or source id: none
/// wins — every such row becomes an error naming the others (`WEB_01` and `web-01` in
/// one file both say so, even when one of them is an error for another reason too).
/// Skipped rows claim nothing.
public enum RowConflicts {
    public static func flag(_ rows: [MappedRow]) -> [MappedRow] {
        var byName: [Hostname: [Int]] = [:]
        var byAddress: [IPv4Address: [Int]] = [:]
        var byMAC: [MACAddress: [Int]] = [:]
        var bySource: [String: [Int]] = [:]
        for (index, row) in rows.enumerated() {
            if case .skip = row.outcome { continue }
            if let name = row.claimedName { byName[name, default: []].append(index) }
            if let ip = row.claimedAddress { byAddress[ip, default: []].append(index) }
            guard case .machine(let machine) = row.outcome else { continue }
            if let mac = machine.request.mac { byMAC[mac, default: []].append(index) }
            bySource[machine.sourceID, default: []].append(index)
        }
        var issues: [Int: [ImportIssue]] = [:]
        func flag<Key>(_ groups: [Key: [Int]], column: String, _ what: (Key) -> String) {
            for (key, indices) in groups where indices.count > 1 {
                for index in indices {
                    let others = indices.filter { $0 != index }.map { place(of: rows[$0].source) }.joined(separator: ", ")
                    let source = rows[index].source
                    issues[index, default: []].append(
                        ImportIssue(file: source.file, row: source.row, column: column, "\(what(key)) is claimed by \(others) too"))
                }
            }
        }
        flag(byName, column: "name") { "machine name \($0)" }
        flag(byAddress, column: "ip") { "address \($0)" }
        flag(byMAC, column: "mac") { "MAC \($0)" }
        flag(bySource, column: "id") { "source id \($0)" }
        guard !issues.isEmpty else { return rows }
        return rows.enumerated().map { index, row in
            guard let found = issues[index] else { return row }
            var row = row
            var earlier: [ImportIssue] = []
            if case .error(let issues) = row.outcome { earlier = issues }
            row.outcome = .error(earlier + found.sorted { ($0.column ?? "") < ($1.column ?? "") })
            return row
        }
    }

    /// `row 7 ("WEB_01")`, with its file when rows come from several.
    static func place(of source: SourceMachine) -> String {
        (source.file.map { "\($0) " } ?? "") + "row \(source.row) (\"\(Echo.short(source.name))\")"
    }
}
