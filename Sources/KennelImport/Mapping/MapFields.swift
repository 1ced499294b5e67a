import Yams

/// The fields of each section of an import map, so that a key no section has (a
/// misspelt `pool:`, `strip_domains:`) is refused with the fields it could have been,
/// instead of being ignored and the import quietly doing something else. The sets come
/// from the sections' own coding keys.
indirect enum MapFields: Sendable {
    /// A mapping with these fields, each with what its value holds (nil: anything, such
    /// as the rename table's source names).
    case fields([String: MapFields?])
    /// A list whose items are each one of these.
    case list(MapFields)

    /// The fields named by `keys`, with what some of them hold.
    static func keys<Key: CodingKey & CaseIterable>(_ keys: Key.Type, _ children: [String: MapFields] = [:]) -> MapFields {
        .fields(Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.stringValue, children[$0.stringValue]) }))
    }

    /// A whole map.
    static let root: MapFields = {
        let match = keys(SourceMatch.CodingKeys.self)
        let source = keys(FieldSource.CodingKeys.self)
        let sizes = keys(
            SizeRules.CodingKeys.self,
            ["cpus": keys(CPUBounds.CodingKeys.self), "memory": keys(SizeBounds.CodingKeys.self), "disk": keys(SizeBounds.CodingKeys.self)])
        return keys(
            ImportMap.CodingKeys.self,
            [
                "places": .list(keys(PlaceRule.CodingKeys.self, ["match": match])),
                "pools": .list(keys(PoolRule.CodingKeys.self, ["match": match])),
                "sizes": sizes, "names": keys(NameRules.CodingKeys.self), "team": source, "service": source, "owner": source,
                "skip": keys(SkipRules.CodingKeys.self), "columns": keys(GenericColumns.CodingKeys.self),
            ])
    }()

    /// A key that is not a field where it stands: its path (`pools[0].poool`), the key,
    /// and the fields that section has.
    struct Unknown: Equatable {
        let path: String
        let key: String
        let known: [String]
    }

    /// The first key in `node` that is not a field where it stands, nil when there is none.
    func unknownField(in node: Node, at path: String = "") -> Unknown? {
        switch (self, node) {
        case (.fields(let fields), .mapping(let mapping)):
            for (keyNode, value) in mapping {
                // A YAML merge key (`<<: *defaults`) brings another mapping's keys here.
                if keyNode.tag.rawValue == Tag.Name.merge.rawValue {
                    for merged in value.sequence.map(Array.init) ?? [value] {
                        if let found = unknownField(in: merged, at: path) { return found }
                    }
                    continue
                }
                guard let key = keyNode.string else { continue }
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard let child = fields[key] else { return Unknown(path: here, key: key, known: fields.keys.sorted()) }
                if let found = child?.unknownField(in: value, at: here) { return found }
            }
        case (.list(let item), .sequence(let sequence)):
            for (index, element) in sequence.enumerated() {
                if let found = item.unknownField(in: element, at: "\(path)[\(index)]") { return found }
            }
        default:
            break
        }
        return nil
    }
}
