/// An RFC 1123 label: 1–63 characters of `a-z`, `0-9` and `-`, not starting or ending
/// with `-`. Machine names are hostnames; IDC, zone, rack, host and pool names follow
/// the same rule so they are safe in file paths, domain names and URLs. An all-digit
/// name is refused, as Incus does: `1234` reads as an address in too many tools.
public struct Hostname: ParsableValue, Hashable, Comparable, Codable {
    /// The label text, always lower-case.
    public let value: String

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty else { throw InvalidValue("must not be empty") }
        guard text.utf8.count <= 63 else { throw InvalidValue("must be at most 63 characters") }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                throw InvalidValue("must be lower-case" + Self.suggestion(for: text))
            default:
                throw InvalidValue("may contain only a-z, 0-9 and '-' (RFC 1123 label)" + Self.suggestion(for: text))
            }
        }
        guard text.first != "-", text.last != "-" else {
            throw InvalidValue("must not start or end with '-'")
        }
        guard !text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw InvalidValue("must not be all digits (it would read as a number or an address); add a letter, e.g. 'm\(text)'")
        }
        value = text
    }

    /// `; write 'web-01'` when lower-casing and turning `_`, `.` and spaces into `-`
    /// gives a valid name, else nothing.
    static func suggestion(for text: String) -> String {
        let mapped = String(text.lowercased().map { "_. ".contains($0) ? "-" : $0 })
        guard mapped != text, let name = try? Hostname(parsing: mapped) else { return "" }
        return "; write '\(name.value)'"
    }

    /// A name known valid at compile time (Kennel's own constants); not for user text.
    public init(verified text: StaticString) { value = "\(text)" }

    public var description: String { value }

    public static func < (lhs: Hostname, rhs: Hostname) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
