import Foundation
import KennelModel
import Yams

/// How an inventory becomes Kennel machines, read from a YAML or JSON file (examples in
/// `Migration/maps/`): where each VM goes (IDC/zone from datacenter/cluster), which pool
/// gives its address (from its network or VLAN; by default the pool whose range holds
/// its address), how sizes are normalised, how names are made valid (with an explicit
/// rename table), where team/service/owner come from, and which rows are skipped.
public struct ImportMap: Sendable, Equatable, Decodable {
    /// The image imported machines get (default: Kennel's default image).
    public var image: String?
    public var places: [PlaceRule]
    public var pools: [PoolRule]
    public var sizes: SizeRules
    public var names: NameRules
    public var team: FieldSource?
    public var service: FieldSource?
    public var owner: FieldSource?
    public var skip: SkipRules
    /// The column map of a generic CSV or JSON.
    public var columns: GenericColumns?

    public init() {
        places = []
        pools = []
        sizes = SizeRules()
        names = NameRules()
        skip = SkipRules()
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case image, places, pools, sizes, names, team, service, owner, skip, columns }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        image = try container.decodeIfPresent(String.self, forKey: .image)
        places = try container.decodeIfPresent([PlaceRule].self, forKey: .places) ?? []
        pools = try container.decodeIfPresent([PoolRule].self, forKey: .pools) ?? []
        sizes = try container.decodeIfPresent(SizeRules.self, forKey: .sizes) ?? SizeRules()
        names = try container.decodeIfPresent(NameRules.self, forKey: .names) ?? NameRules()
        team = try container.decodeIfPresent(FieldSource.self, forKey: .team)
        service = try container.decodeIfPresent(FieldSource.self, forKey: .service)
        owner = try container.decodeIfPresent(FieldSource.self, forKey: .owner)
        skip = try container.decodeIfPresent(SkipRules.self, forKey: .skip) ?? SkipRules()
        columns = try container.decodeIfPresent(GenericColumns.self, forKey: .columns)
    }

    /// Reads a map file (YAML, of which JSON is a part); a bad one is an issue naming the
    /// field path.
    public static func parse(_ bytes: [UInt8], file: String = "map") throws(ImportIssue) -> ImportMap {
        let text = String(decoding: bytes, as: UTF8.self)
        let map: ImportMap
        do {
            // Read once, as YAMLDecoder reads text (merge keys resolved, scalars untyped).
            let node = try Yams.compose(yaml: text.isEmpty ? "{}" : text, Resolver.basic.appending(.merge)) ?? ""
            // Keys first: a misspelt key explains a field that then seems missing.
            if let unknown = MapFields.root.unknownField(in: node) {
                throw ImportIssue(
                    file: file, column: unknown.path,
                    "\"\(unknown.key)\" is not a field here (a misspelling?); the fields are: \(unknown.known.joined(separator: ", "))")
            }
            map = try YAMLDecoder().decode(ImportMap.self, from: node)
        } catch let issue as ImportIssue {
            throw issue
        } catch let error as DecodingError {
            throw ImportIssue(file: file, Self.describe(error))
        } catch {
            throw ImportIssue(file: file, "not YAML or JSON: \("\(error)".prefix(200))")
        }
        try map.check(file: file)
        return map
    }

    /// Every pattern compiles and every size reads.
    func check(file: String) throws(ImportIssue) {
        for (index, pattern) in skip.names.enumerated() {
            guard (try? Regex(pattern)) != nil else {
                throw ImportIssue(file: file, column: "skip.names[\(index)]", "\"\(pattern)\" is not a regular expression")
            }
        }
        for (name, source) in [("team", team), ("service", service), ("owner", owner)] {
            if let pattern = source?.annotation, (try? Regex(pattern)) == nil {
                throw ImportIssue(file: file, column: "\(name).annotation", "\"\(pattern)\" is not a regular expression")
            }
        }
        for (name, bounds) in [("memory", sizes.memory), ("disk", sizes.disk)] {
            for (field, value) in [("min", bounds.min), ("max", bounds.max), ("round_to", bounds.roundTo), ("default", bounds.defaultSize)] {
                guard let value else { continue }
                guard (try? ByteSize(parsing: value)) != nil else {
                    throw ImportIssue(file: file, column: "sizes.\(name).\(field)", "\"\(value)\" is not a size (e.g. 512M, 40G)")
                }
            }
        }
        for (old, new) in names.rename where (try? Hostname(parsing: new)) == nil {
            throw ImportIssue(file: file, column: "names.rename", "\"\(old)\" is renamed to \"\(new)\", which is not a valid machine name")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "" : path(context) + ": ")\(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context).isEmpty ? "" : path(context) + ": ")\"\(key.stringValue)\" is missing"
        @unknown default:
            return "\(error)"
        }
    }
}

/// What a rule matches on a source machine; every given key must match (names compared
/// without case; `vlan` as a number).
public struct SourceMatch: Sendable, Equatable, Decodable {
    public var datacenter: String?
    public var cluster: String?
    public var host: String?
    public var network: String?
    public var vlan: Int?

    enum CodingKeys: String, CodingKey, CaseIterable { case datacenter, cluster, host, network, vlan }

    public init(datacenter: String? = nil, cluster: String? = nil, host: String? = nil, network: String? = nil, vlan: Int? = nil) {
        self.datacenter = datacenter
        self.cluster = cluster
        self.host = host
        self.network = network
        self.vlan = vlan
    }

    func matches(_ machine: SourceMachine) -> Bool {
        func same(_ rule: String?, _ value: String?) -> Bool {
            guard let rule else { return true }
            return value.map { $0.caseInsensitiveCompare(rule) == .orderedSame } ?? false
        }
        guard same(datacenter, machine.datacenter), same(cluster, machine.cluster), same(host, machine.host) else { return false }
        if let network, !machine.networks.contains(where: { $0.caseInsensitiveCompare(network) == .orderedSame }) { return false }
        if let vlan, machine.vlan != vlan { return false }
        return true
    }
}

/// `match` → IDC (and zone).
public struct PlaceRule: Sendable, Equatable, Decodable {
    public var match: SourceMatch
    public var idc: String
    public var zone: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case match, idc, zone }
}

/// `match` → pool.
public struct PoolRule: Sendable, Equatable, Decodable {
    public var match: SourceMatch
    public var pool: String

    enum CodingKeys: String, CodingKey, CaseIterable { case match, pool }
}

/// Size normalisation.
public struct SizeRules: Sendable, Equatable, Decodable {
    public var cpus = CPUBounds()
    public var memory = SizeBounds()
    public var disk = SizeBounds()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case cpus, memory, disk }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpus = try container.decodeIfPresent(CPUBounds.self, forKey: .cpus) ?? CPUBounds()
        memory = try container.decodeIfPresent(SizeBounds.self, forKey: .memory) ?? SizeBounds()
        disk = try container.decodeIfPresent(SizeBounds.self, forKey: .disk) ?? SizeBounds()
    }
}

public struct CPUBounds: Sendable, Equatable, Decodable {
    public var min: Int?
    public var max: Int?
    public var defaultCount: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case min, max
        case defaultCount = "default"
    }
}

/// Sizes as text (`512M`, `40G`): bounds, a step to round up to, and a default.
public struct SizeBounds: Sendable, Equatable, Decodable {
    public var min: String?
    public var max: String?
    public var roundTo: String?
    public var defaultSize: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case min, max
        case roundTo = "round_to"
        case defaultSize = "default"
    }
}

/// How source names become machine names.
public struct NameRules: Sendable, Equatable, Decodable {
    /// `web01.corp.example` → `web01` (default true).
    public var stripDomain = true
    /// Source name → machine name, applied before anything else (and instead of it).
    public var rename: [String: String] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case stripDomain = "strip_domain"
        case rename
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stripDomain = try container.decodeIfPresent(Bool.self, forKey: .stripDomain) ?? true
        rename = try container.decodeIfPresent([String: String].self, forKey: .rename) ?? [:]
    }
}

/// Where a field comes from: a column or attribute (`Team`, `cf_owner` as `owner`), the
/// first group of a pattern on the annotation (`"team: (\\S+)"`), or a fixed value; the
/// first that gives something wins.
public struct FieldSource: Sendable, Equatable, Decodable {
    public var column: String?
    public var annotation: String?
    public var value: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case column, annotation, value }
}

/// Which rows are not imported.
public struct SkipRules: Sendable, Equatable, Decodable {
    /// VM templates (default true).
    public var templates = true
    /// Powered-off and suspended VMs (default true; `--include-off` imports them).
    public var poweredOff = true
    /// Names matching any of these patterns (e.g. `^vCLS-`).
    public var names: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case templates, names
        case poweredOff = "powered_off"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        templates = try container.decodeIfPresent(Bool.self, forKey: .templates) ?? true
        poweredOff = try container.decodeIfPresent(Bool.self, forKey: .poweredOff) ?? true
        names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
    }
}
