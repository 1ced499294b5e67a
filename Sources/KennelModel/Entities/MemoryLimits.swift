/// Memory beyond the hard limit (`memory`): a soft limit the kernel reclaims towards under
/// host pressure, and how much swap the machine may use on top of its memory.
public struct MemoryLimits: Hashable, Sendable, Codable {
    /// The soft limit (`memory_soft`); nil for none. Never above `memory`.
    public var soft: ByteSize?
    /// Swap allowed beyond `memory` (`swap`): `0` for none; nil for no swap limit.
    public var swap: ByteSize?

    /// Creates limits; none by default.
    public init(soft: ByteSize? = nil, swap: ByteSize? = nil) {
        self.soft = soft
        self.swap = swap
    }

    /// The request fields.
    public static let fieldNames = ["memory_soft", "swap"]

    /// Applies `memory_soft` (`0` lifts it) and `swap` (a size, `0` for none, `unlimited`
    /// to lift it) as given in `fields`.
    public func applying(_ fields: RequestFields) throws(KennelError) -> MemoryLimits {
        var limits = self
        if fields.isGiven("memory_soft") {
            let text = fields.text("memory_soft") ?? ""
            limits.soft = text.isEmpty || text == "0" ? nil : try fields.required("memory_soft", as: RequestedSize.self).size
        }
        if fields.isGiven("swap") {
            switch fields.text("swap") ?? "" {
            case "unlimited", "": limits.swap = nil
            case "0": limits.swap = ByteSize(bytes: 0)
            default: limits.swap = try fields.required("swap", as: RequestedSize.self).size
            }
        }
        return limits
    }

    /// Checks the soft limit against the hard one.
    public func check(memory: ByteSize) throws(KennelError) {
        if let soft, soft > memory {
            throw KennelError.invalid("memory_soft", "\(soft) is above memory \(memory); a soft limit is at most the hard one")
        }
    }
}
