/// A comma-separated list of values, as a form field carries it: `z1,z2`,
/// `10.0.0.5,10.0.0.100-10.0.0.110`. Spaces around items are ignored; empty items are refused.
public struct CommaList<Element: ParsableValue & Hashable>: ParsableValue, Hashable {
    public let items: [Element]

    /// Creates a list from values.
    public init(_ items: [Element]) { self.items = items }

    public init(parsing text: String) throws(InvalidValue) {
        var items: [Element] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = piece.trimmingCharacters(in: " ")
            guard !item.isEmpty else { throw InvalidValue("empty item in list '\(Echo.short(text))'") }
            do {
                items.append(try Element(parsing: item))
            } catch {
                throw InvalidValue("'\(item)': \(error.reason)")
            }
        }
        self.items = items
    }

    public var description: String { items.map(\.description).joined(separator: ",") }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
