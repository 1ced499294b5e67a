/// `POST /api/v1/machines/{name}/resize`: a new disk size (`40G`) or a growth (`+10G`),
/// and the disk IO limits; every field optional, at least one given.
public struct ResizeRequest: Sendable {
    public let disk: DiskSizeChange?
    /// Whether the caller accepts an offline shrink where the filesystem allows one.
    public let allowShrink: Bool
    /// The IO fields as given (applied to the machine's current limits).
    public let fields: RequestFields

    /// The fields a resize takes.
    public static let fieldNames: Set<String> = Set(["disk", "allow_shrink"] + DiskIOLimits.fieldNames)

    public init(fields: RequestFields) throws(KennelError) {
        disk = try fields.optional("disk", as: DiskSizeChange.self)
        allowShrink = try fields.optional("allow_shrink", as: YesNo.self)?.isSet ?? false
        guard disk != nil || DiskIOLimits.fieldNames.contains(where: fields.isGiven) else {
            throw KennelError(.missingField, "give disk (e.g. 40G or +10G) or an IO limit to change", field: "disk")
        }
        _ = try DiskIOLimits().applying(fields)
        self.fields = fields
    }

    /// The machine's spec after this resize: the new disk rounded up to whole extents,
    /// and its IO limits changed field by field.
    public func spec(from current: MachineSpec) throws(KennelError) -> MachineSpec {
        var spec = current
        if let disk {
            guard let size = disk.size(from: current.disk) else {
                throw KennelError(.invalidField, "\(disk) from \(current.disk) is larger than any disk", field: "disk")
            }
            spec.disk = size
        }
        spec.diskIO = try current.diskIO.applying(fields)
        return spec
    }
}

/// What a change of a machine's disk size means for its volume.
public enum DiskResize: Equatable, Sendable {
    /// Same size: only IO limits change, if any.
    case unchanged
    /// Grow the volume and its filesystem (online when the machine runs).
    case grow
    /// Shrink the filesystem and then the volume, offline (ext4 only).
    case shrink
    /// Refused, with the reason as the 409 says it.
    case refused(String)

    /// The decision for going from `current` to `requested` on a `filesystem`, with the
    /// machine running or not: XFS never shrinks; ext4 shrinks only while stopped and
    /// only with `allow_shrink=1`.
    public static func decide(
        from current: ByteSize, to requested: ByteSize, filesystem: FilesystemKind, running: Bool, allowShrink: Bool
    ) -> DiskResize {
        if requested == current { return .unchanged }
        if requested > current { return .grow }
        if filesystem == .xfs { return .refused("its filesystem is XFS, which cannot shrink; \(current) is the smallest it can be") }
        if running { return .refused("the machine runs: an ext4 disk shrinks only while the machine is stopped") }
        if !allowShrink { return .refused("shrinking ext4 needs allow_shrink=1 (e2fsck and resize2fs run offline)") }
        return .shrink
    }
}
