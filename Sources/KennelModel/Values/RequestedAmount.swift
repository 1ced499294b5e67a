/// A size as a request must write it: with its unit (`512M`, `20G`). A bare number is
/// refused rather than read as bytes, because `memory=512` almost always means 512 MiB
/// and as bytes it can never work.
public struct RequestedSize: ParsableValue {
    public let size: ByteSize

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, !text.allSatisfy(\.isASCIIDigit) else {
            throw InvalidValue("'\(Echo.short(text))' has no unit; write \(Echo.short(text))M or \(Echo.short(text))G (sizes are binary: 1G = 1024M)")
        }
        size = try ByteSize(parsing: text)
        guard size.bytes > 0 else { throw InvalidValue("'\(Echo.short(text))' must be greater than 0") }
    }

    public var description: String { size.description }
}

/// A rate as a request must write it: with its unit (`100M`, `1G`, decimal bits per
/// second). A bare number is refused rather than read as bits per second.
public struct RequestedRate: ParsableValue {
    public let rate: Bandwidth

    public init(parsing text: String) throws(InvalidValue) {
        guard !text.isEmpty, !text.allSatisfy(\.isASCIIDigit) else {
            throw InvalidValue("'\(Echo.short(text))' has no unit; write \(Echo.short(text))M for Mbit/s or \(Echo.short(text))G for Gbit/s")
        }
        rate = try Bandwidth(parsing: text)
    }

    public var description: String { rate.description }
}
