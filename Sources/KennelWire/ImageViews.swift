import KennelControl

/// What `POST /api/v1/images/prune` answers. The CLI decodes the same type.
public struct ImagePruneView: Codable, Sendable, Equatable {
    /// Image versions removed from the control plane (`NAME:VERSION`).
    public let removed: [String]
    /// Versions kept: the newest of each image, and those machines name.
    public let kept: [String]
    /// Template versions (SHA-256) removed on each host.
    public let templatesRemoved: [String: [String]]
    /// Hosts that could not be asked; their templates stay until the next prune.
    public let unreachable: [String]

    enum CodingKeys: String, CodingKey {
        case removed, kept, unreachable
        case templatesRemoved = "templates_removed"
    }

    public init(_ report: ImagePruneReport) {
        removed = report.removed
        kept = report.kept
        templatesRemoved = Dictionary(uniqueKeysWithValues: report.templatesRemoved.map { ($0.key.value, $0.value) })
        unreachable = report.unreachable.map(\.value)
    }
}
