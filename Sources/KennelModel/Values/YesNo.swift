/// A yes/no request field such as `force`: `1`/`true` or `0`/`false`.
public struct YesNo: ParsableValue {
    public let isSet: Bool

    public init(parsing text: String) throws(InvalidValue) {
        switch text.lowercased() {
        case "1", "true", "yes": isSet = true
        case "0", "false", "no": isSet = false
        default: throw InvalidValue("must be 1 or 0 (true or false), not '\(Echo.short(text))'")
        }
    }

    public var description: String { isSet ? "1" : "0" }
}
