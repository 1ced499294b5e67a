/// `POST /api/v1/machines/{name}/limits`: new CPU, memory, bandwidth and disk IO limits for
/// a machine, applied live. Every field optional, at least one given; `0` lifts an
/// optional limit (`ingress`, `egress`, `memory_soft`, the disk IO fields).
public struct LimitsRequest: Sendable {
    /// The fields as given (applied to the machine's current spec).
    public let fields: RequestFields
    /// Whether to lower memory below what the machine uses now.
    public let force: Bool

    /// The fields a limits change takes (besides `wait` and `force`).
    public static let limitFieldNames: [String] =
        ["cpus", "memory", "ingress", "egress"] + MemoryLimits.fieldNames + DiskIOLimits.fieldNames

    /// Checks every given field (422 naming the first bad one) against an empty spec.
    public init(fields: RequestFields) throws(KennelError) {
        guard Self.limitFieldNames.contains(where: fields.isGiven) else {
            throw KennelError(.missingField, "give a limit to change: \(Self.limitFieldNames.joined(separator: ", "))", field: "cpus")
        }
        force = try fields.optional("force", as: YesNo.self)?.isSet ?? false
        self.fields = fields
        _ = try Self.apply(fields, to: MachineSpec(cpus: .one, memory: .gibibytes(1), disk: .gibibytes(10), image: .defaultImage))
    }

    /// The machine's spec with these limits.
    public func spec(from current: MachineSpec) throws(KennelError) -> MachineSpec {
        try Self.apply(fields, to: current)
    }

    private static func apply(_ fields: RequestFields, to current: MachineSpec) throws(KennelError) -> MachineSpec {
        var spec = current
        if fields.isGiven("cpus") { spec.cpus = try fields.required("cpus") }
        if fields.isGiven("memory") {
            let memory = try fields.required("memory", as: RequestedSize.self).size
            guard memory >= MachineRequest.Minimums.memory else {
                throw KennelError.invalid("memory", "\(memory) is too small; a machine needs at least \(MachineRequest.Minimums.memory)")
            }
            spec.memory = memory
        }
        if let rate = try rate(fields, "ingress") { spec.ingress = rate }
        if let rate = try rate(fields, "egress") { spec.egress = rate }
        spec.memoryLimits = try current.memoryLimits.applying(fields)
        try spec.memoryLimits.check(memory: spec.memory)
        spec.diskIO = try current.diskIO.applying(fields)
        return spec
    }

    /// A bandwidth field: absent → nil; `0` → `.some(nil)` (lifted); else at least the minimum.
    private static func rate(_ fields: RequestFields, _ name: String) throws(KennelError) -> Bandwidth?? {
        guard fields.isGiven(name) else { return nil }
        guard let text = fields.text(name), !text.isEmpty, text != "0" else { return .some(nil) }
        let rate = try fields.required(name, as: RequestedRate.self).rate
        guard rate >= MachineRequest.Minimums.bandwidth else {
            throw KennelError.invalid(
                name, "\(rate) bit/s is too small; the least is \(MachineRequest.Minimums.bandwidth) (1 Mbit/s), or 0 to lift it")
        }
        return .some(rate)
    }
}

/// What a limits change asks of the machine's host beyond what it has now: the increases
/// placement must find room for.
public struct LimitsGrowth: Sendable, Equatable {
    public let cpus: Int
    public let memory: ByteSize
    public let ingress: UInt64
    public let egress: UInt64

    /// The increase from `before` to `after`, resource by resource (decreases count as 0).
    public init(from before: Resources, to after: Resources) {
        func more(_ a: UInt64, _ b: UInt64) -> UInt64 { b > a ? b - a : 0 }
        cpus = max(after.cpus - before.cpus, 0)
        memory = ByteSize(bytes: more(before.memory.bytes, after.memory.bytes))
        ingress = more(before.ingress, after.ingress)
        egress = more(before.egress, after.egress)
    }

    /// The first resource whose increase does not fit in `free`: its request field, its
    /// placement filter and the reason in words; nil when everything fits.
    public func shortfall(in free: Resources) -> (field: String, filter: String, reason: String)? {
        if cpus > free.cpus { return ("cpus", "cpu", "\(free.cpus) CPUs free < \(cpus) more requested") }
        if memory > free.memory { return ("memory", "memory", "memory \(free.memory) free < \(memory) more requested") }
        if ingress > free.ingress {
            return (
                "ingress", "bandwidth", "ingress \(Bandwidth(bitsPerSecond: free.ingress)) free < \(Bandwidth(bitsPerSecond: ingress)) more requested"
            )
        }
        if egress > free.egress {
            return (
                "egress", "bandwidth", "egress \(Bandwidth(bitsPerSecond: free.egress)) free < \(Bandwidth(bitsPerSecond: egress)) more requested"
            )
        }
        return nil
    }
}
