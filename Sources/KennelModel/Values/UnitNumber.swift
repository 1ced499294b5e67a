/// Splits text such as `20G`, `512MiB` or `100Mbit` into a whole number and a unit
/// multiplier; shared by `ByteSize` (binary units) and `Bandwidth` (decimal units).
struct UnitNumber {
    let number: UInt64
    let multiplier: UInt64

    /// - Parameters:
    ///   - base: 1024 for sizes, 1000 for rates.
    ///   - suffixes: the unit tails accepted after K/M/G/T/P (lower-cased), such as
    ///     `["", "b", "ib", "ib"]`; the bare number means the base unit.
    init(_ text: String, base: UInt64, suffixes: Set<String>, what: String) throws(InvalidValue) {
        let digits = text.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, digits.count <= 19, let number = UInt64(digits) else {
            throw InvalidValue("'\(Echo.short(text))' is not a \(what)")
        }
        var unit = text.dropFirst(digits.count).lowercased()
        var multiplier: UInt64 = 1
        if let first = unit.first, let power = "kmgtp".firstIndex(of: first) {
            let exponent = "kmgtp".distance(from: "kmgtp".startIndex, to: power) + 1
            for _ in 0..<exponent { multiplier *= base }
            unit.removeFirst()
        }
        guard suffixes.contains(unit) else { throw InvalidValue("'\(Echo.short(text))' is not a \(what)") }
        guard number <= UInt64.max / multiplier else { throw InvalidValue("'\(Echo.short(text))' is too large") }
        self.number = number
        self.multiplier = multiplier
    }

    var value: UInt64 { number * multiplier }

    /// The shortest exact rendering: `4294967296` becomes `4G` with base 1024.
    static func render(_ value: UInt64, base: UInt64) -> String {
        guard value > 0 else { return "0" }
        var scaled = value
        var unitIndex = 0
        let units = ["", "K", "M", "G", "T", "P"]
        while scaled % base == 0, unitIndex < units.count - 1 {
            scaled /= base
            unitIndex += 1
        }
        return "\(scaled)\(units[unitIndex])"
    }
}
