import Foundation
import KennelModel

/// A source machine as Kennel would take it in: its create request (with the address
/// and MAC it keeps) and the id a re-run finds it by.
public struct ImportedMachine: Sendable, Equatable {
    public var request: MachineRequest
    public var sourceID: String
}

/// What the mapping made of one source row.
public struct MappedRow: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case machine(ImportedMachine)
        case skip(String)
        case error([ImportIssue])
    }

    public var source: SourceMachine
    public var outcome: Outcome
    /// What the mapping changed on the way (sizes rounded or capped, names made valid).
    public var notes: [String]
    /// The machine name and address the row claims, even when it is an error for another
    /// reason (so that a conflict shows on both rows however the rest of them reads).
    public var claimedName: Hostname?
    public var claimedAddress: IPv4Address?

    public init(source: SourceMachine, outcome: Outcome, notes: [String], claimedName: Hostname? = nil, claimedAddress: IPv4Address? = nil) {
        self.source = source
        self.outcome = outcome
        self.notes = notes
        self.claimedName = claimedName
        self.claimedAddress = claimedAddress
    }
}

/// Applies an `ImportMap` to source machines, row by row. Pure.
/// Not Sendable: it holds compiled patterns; make one per import.
public struct Mapper {
    public let map: ImportMap
    /// Import powered-off and suspended VMs too (`--include-off`).
    public let includeOff: Bool
    /// The map's patterns, compiled once (a plan maps every row with them).
    private let skipPatterns: [(text: String, regex: Regex<AnyRegexOutput>)]
    private let annotationPatterns: [String: Regex<AnyRegexOutput>]

    public init(map: ImportMap, includeOff: Bool = false) {
        self.map = map
        self.includeOff = includeOff
        skipPatterns = map.skip.names.compactMap { text in (try? Regex(text)).map { (text, $0) } }
        var annotations: [String: Regex<AnyRegexOutput>] = [:]
        for pattern in [map.team, map.service, map.owner].compactMap({ $0?.annotation }) { annotations[pattern] = try? Regex(pattern) }
        annotationPatterns = annotations
    }

    public func map(_ source: SourceMachine) -> MappedRow {
        var notes: [String] = []
        if !source.issues.isEmpty {
            var ignored: [String] = []
            return MappedRow(
                source: source, outcome: .error(source.issues), notes: [],
                claimedName: machineName(source, notes: &ignored, problem: { _, _ in }), claimedAddress: source.addresses.first)
        }
        if map.skip.templates && source.isTemplate { return MappedRow(source: source, outcome: .skip("a template"), notes: []) }
        if map.skip.poweredOff && !includeOff && (source.power == .off || source.power == .suspended) {
            return MappedRow(source: source, outcome: .skip("powered off (--include-off imports it)"), notes: [])
        }
        for pattern in skipPatterns where source.name.contains(pattern.regex) {
            return MappedRow(source: source, outcome: .skip("its name matches skip pattern \"\(pattern.text)\""), notes: [])
        }
        var issues: [ImportIssue] = []
        func problem(_ column: String, _ message: String) {
            issues.append(ImportIssue(file: source.file, row: source.row, column: column, message))
        }
        let name = machineName(source, notes: &notes, problem: problem)
        let place = map.places.first { $0.match.matches(source) }
        var idc: Hostname?
        var zone: Hostname?
        if let place {
            idc = try? Hostname(parsing: place.idc)
            zone = try? place.zone.map { try Hostname(parsing: $0) }
            if idc == nil { problem("idc", "the places rule gives \"\(place.idc)\", which is not an IDC name") }
        } else if let datacenter = source.datacenter, let name = try? Hostname(parsing: Self.normalised(datacenter)) {
            idc = name
            if let text = source.zone ?? source.attributes["kennel_zone"] {
                zone = try? Hostname(parsing: Self.normalised(text))
                if zone == nil { problem("zone", "\"\(Echo.short(text))\" cannot be a zone name") }
            }
        } else {
            problem(
                "datacenter",
                source.datacenter.map { "no IDC for datacenter \"\(Echo.short($0))\": add a places rule" }
                    ?? "no datacenter or site: add a places rule")
        }
        // A rack the source names (a Kennel export's own, NetBox's `cf_kennel_rack`) is kept.
        var rack: Hostname?
        if let text = source.rack ?? source.attributes["kennel_rack"], !text.isEmpty {
            rack = try? Hostname(parsing: Self.normalised(text))
            if rack == nil { problem("rack", "\"\(Echo.short(text))\" cannot be a rack name") }
        }
        let pool = map.pools.first { $0.match.matches(source) }.flatMap { try? Hostname(parsing: $0.pool) }
        let address = source.addresses.first
        if address == nil && pool == nil {
            problem(
                "ip",
                source.otherAddresses.isEmpty
                    ? "no IPv4 address, and no pools rule for its network" : "no IPv4 address (only \(source.otherAddresses.joined(separator: ", ")))"
            )
        }
        if source.addresses.count > 1 {
            notes.append(
                "keeps \(address?.description ?? "?"); other addresses \(source.addresses.dropFirst().map(\.description).joined(separator: ", ")) are not taken"
            )
        }
        var mac: MACAddress?
        if let text = source.macs.first {
            do {
                mac = try MACAddress(parsing: text.lowercased())
            } catch {
                problem("mac", "\"\(Echo.short(text))\" \(error.reason)")
            }
        }
        let spec = machineSpec(source, notes: &notes, problem: problem)
        let team = field(map.team, source, fallback: source.team).flatMap { Self.hostname($0, "team", problem) }
        let service = field(map.service, source, fallback: source.service).flatMap { Self.label($0, "service", problem) }
        let owner = field(map.owner, source, fallback: source.owner).flatMap { Self.label($0, "owner", problem) }
        guard issues.isEmpty, let name, let idc, let spec else {
            return MappedRow(source: source, outcome: .error(issues), notes: notes, claimedName: name, claimedAddress: address)
        }
        var request = MachineRequest(
            name: name, idc: idc, zone: zone, spec: spec, service: service, owner: owner, team: team, pool: pool, ip: address, mac: mac)
        request.rack = rack
        let sourceID = source.sourceID ?? "name:\(source.name)"
        return MappedRow(
            source: source, outcome: .machine(ImportedMachine(request: request, sourceID: sourceID)), notes: notes, claimedName: name,
            claimedAddress: address)
    }

    /// The rename table's name, or the source name made valid: the domain dropped (an
    /// FQDN), lower case, `_`, `.` and spaces as `-`.
    private func machineName(_ source: SourceMachine, notes: inout [String], problem: (String, String) -> Void) -> Hostname? {
        if let renamed = map.names.rename[source.name] {
            return try? Hostname(parsing: renamed)
        }
        var text = source.name.trimmingASCIIWhitespace()
        if map.names.stripDomain, text.contains("."), !text.allSatisfy({ $0.isNumber || $0 == "." }) {
            text = String(text.prefix { $0 != "." })
        }
        text = Self.normalised(text)
        do {
            let name = try Hostname(parsing: text)
            if name.value != source.name { notes.append("named \(name) (was \"\(source.name)\")") }
            return name
        } catch {
            problem("name", "\"\(Echo.short(source.name))\" cannot be a machine name (\(error.reason)); add it to names.rename")
            return nil
        }
    }

    /// Lower case; `_`, `.` and spaces as `-`; runs of `-` as one; none at the ends.
    static func normalised(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            let mapped: Character = "_. ".contains(character) ? "-" : character
            if mapped == "-" && result.last == "-" { continue }
            result.append(mapped)
        }
        return String(result.drop { $0 == "-" }.reversed().drop { $0 == "-" }.reversed())
    }

    private func machineSpec(_ source: SourceMachine, notes: inout [String], problem: (String, String) -> Void) -> MachineSpec? {
        let rules = map.sizes
        var cpus = source.cpus ?? rules.cpus.defaultCount ?? MachineRequest.Defaults.cpus.value
        if let min = rules.cpus.min, cpus < min {
            notes.append("cpus \(cpus) raised to \(min)")
            cpus = min
        }
        if let max = rules.cpus.max, cpus > max {
            notes.append("cpus \(cpus) capped at \(max)")
            cpus = max
        }
        let memory = size(source.memoryMiB, rules.memory, fallback: MachineRequest.Defaults.memory, "memory", notes: &notes)
        let disk = size(source.diskMiB, rules.disk, fallback: MachineRequest.Defaults.disk, "disk", notes: &notes)
        var image = MachineRequest.Defaults.image
        do {
            if let name = map.image { image = try ImageName(parsing: name) }
        } catch {
            problem("image", "the map's image \"\(map.image ?? "")\" \(error.reason)")
            return nil
        }
        do {
            return MachineSpec(cpus: try CPUCount(cpus), memory: memory, disk: disk, image: image)
        } catch {
            problem("cpus", "\(cpus) \(error.reason)")
            return nil
        }
    }

    private func size(_ mebibytes: Int?, _ bounds: SizeBounds, fallback: ByteSize, _ name: String, notes: inout [String]) -> ByteSize {
        func parsed(_ text: String?) -> ByteSize? { text.flatMap { try? ByteSize(parsing: $0) } }
        var size = mebibytes.map { ByteSize.mebibytes(UInt64(max(0, $0))) } ?? parsed(bounds.defaultSize) ?? fallback
        if let step = parsed(bounds.roundTo), step.bytes > 0, size.bytes % step.bytes != 0 {
            let rounded = size.roundedUp(toMultipleOf: step)
            notes.append("\(name) \(size) rounded up to \(rounded)")
            size = rounded
        }
        if let min = parsed(bounds.min), size < min {
            notes.append("\(name) \(size) raised to \(min)")
            size = min
        }
        if let max = parsed(bounds.max), max < size {
            notes.append("\(name) \(size) capped at \(max)")
            size = max
        }
        return size
    }

    /// The first of the rule's column, annotation pattern and value that gives something,
    /// else `fallback` (what the export itself says, e.g. NetBox's tenant).
    private func field(_ rule: FieldSource?, _ source: SourceMachine, fallback: String?) -> String? {
        guard let rule else { return fallback }
        if let column = rule.column {
            let key = HeaderKey(column)
            if let value = source.attributes.first(where: { HeaderKey($0.key) == key })?.value { return value }
            let standard: [HeaderKey: String?] = [
                "team": source.team, "tenant": source.team, "service": source.service, "role": source.service, "owner": source.owner,
                "cluster": source.cluster, "datacenter": source.datacenter, "host": source.host,
            ]
            if let value = standard[key] ?? nil { return value }
        }
        if let pattern = rule.annotation, let annotation = source.annotation, let regex = annotationPatterns[pattern],
            let match = annotation.firstMatch(of: regex), match.output.count > 1, let group = match.output[1].substring
        {
            return String(group)
        }
        return rule.value ?? fallback
    }

    private static func hostname(_ text: String, _ column: String, _ problem: (String, String) -> Void) -> Hostname? {
        do {
            return try Hostname(parsing: normalised(text))
        } catch {
            problem(column, "\"\(Echo.short(text))\" cannot be a \(column) name (\(error.reason))")
            return nil
        }
    }

    private static func label(_ text: String, _ column: String, _ problem: (String, String) -> Void) -> Label? {
        do {
            return try Label(parsing: normalised(text))
        } catch {
            problem(column, "\"\(Echo.short(text))\" cannot be a \(column) (\(error.reason))")
            return nil
        }
    }
}
