/// How volumes are cut: sizes are whole 4 MiB extents (LVM's default extent, and a whole
/// number of XFS and ext4 blocks), so the size a machine reports is the size it has.
public enum VolumeGeometry {
    /// The unit every volume size is rounded up to.
    public static let extent = ByteSize.mebibytes(4)
}

/// A resize request's `disk`: a new size (`40G`) or a growth (`+10G`).
public enum DiskSizeChange: ParsableValue, Equatable {
    case to(ByteSize)
    case by(ByteSize)

    public init(parsing text: String) throws(InvalidValue) {
        if text.hasPrefix("+") {
            let growth = try RequestedSize(parsing: String(text.dropFirst())).size
            self = .by(growth)
        } else {
            self = .to(try RequestedSize(parsing: text).size)
        }
    }

    /// The new size from `current`, rounded up to whole extents; nil when it overflows.
    public func size(from current: ByteSize) -> ByteSize? {
        switch self {
        case .to(let size): return size.roundedUp(toMultipleOf: VolumeGeometry.extent)
        case .by(let growth):
            let (sum, overflow) = current.bytes.addingReportingOverflow(growth.bytes)
            return overflow ? nil : ByteSize(bytes: sum).roundedUp(toMultipleOf: VolumeGeometry.extent)
        }
    }

    public var description: String {
        switch self {
        case .to(let size): size.description
        case .by(let growth): "+\(growth)"
        }
    }
}
