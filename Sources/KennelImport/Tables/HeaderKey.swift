/// A column header as readers compare it: lower case, letters and digits only, `#` read
/// as "num" — so `Primary IP Address`, `primary_ip_address` and `PrimaryIPAddress` are
/// one column.
public struct HeaderKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let value: String

    public init(_ header: String) {
        var key = ""
        for character in header.lowercased() {
            if character == "#" {
                key += "num"
            } else if character.isASCII, character.isLetter || character.isNumber {
                key.append(character)
            }
        }
        value = key
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Without `prefix` when it starts with it and is longer (`vinfovmname` → `vmname`).
    public func dropping(prefix: String) -> HeaderKey {
        guard value.hasPrefix(prefix), value.count > prefix.count else { return self }
        return HeaderKey(String(value.dropFirst(prefix.count)))
    }

    public var description: String { value }
}
