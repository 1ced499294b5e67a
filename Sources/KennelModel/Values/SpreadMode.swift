/// How strictly machines of one service are kept apart across racks.
public enum SpreadMode: String, ParsableValue, CaseIterable, Codable {
    /// Prefer the rack with fewest machines of the service; stack only when every eligible
    /// rack already holds one or more.
    case bestEffort = "best-effort"
    /// Never put two machines of the service in one rack; refuse instead.
    case strict

    public init(parsing text: String) throws(InvalidValue) {
        guard let mode = SpreadMode(rawValue: text) else { throw InvalidValue("must be best-effort or strict, not '\(Echo.short(text))'") }
        self = mode
    }

    public var description: String { rawValue }
}

/// How placement ranks hosts that passed every filter (a per-site setting).
public enum ScoringPolicy: String, ParsableValue, CaseIterable, Codable {
    /// Prefer the host with the largest share of resources free: even load, room for bursts.
    case spread
    /// Prefer the host with the smallest share free: fill hosts up, keep others empty.
    case binpack

    public init(parsing text: String) throws(InvalidValue) {
        guard let policy = ScoringPolicy(rawValue: text) else { throw InvalidValue("must be spread or binpack, not '\(Echo.short(text))'") }
        self = policy
    }

    public var description: String { rawValue }
}
