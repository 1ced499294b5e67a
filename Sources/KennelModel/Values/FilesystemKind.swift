/// The filesystem on a machine's root volume, chosen at create (`filesystem=`) and kept
/// for the machine's life.
public enum FilesystemKind: String, ParsableValue, CaseIterable, Codable {
    /// XFS with reflink (the default): grows online, never shrinks.
    case xfs
    /// ext4: grows online, shrinks offline (stopped, with `allow_shrink=1`).
    case ext4

    public init(parsing text: String) throws(InvalidValue) {
        guard let kind = FilesystemKind(rawValue: text) else { throw InvalidValue("must be xfs or ext4, not '\(Echo.short(text))'") }
        self = kind
    }

    public var description: String { rawValue }

    /// Whether the filesystem can be made smaller (offline).
    public var canShrink: Bool { self == .ext4 }
}
