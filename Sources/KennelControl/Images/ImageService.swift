import KennelModel
import Logging

/// What a prune removed: image versions on the control plane, templates on each host,
/// and the hosts that could not be asked (their templates stay until the next prune).
public struct ImagePruneReport: Sendable, Equatable {
    public var removed: [String] = []
    public var kept: [String] = []
    public var templatesRemoved: [Hostname: [String]] = [:]
    public var unreachable: [Hostname] = []
}

/// Images over their lifetime: which versions are still needed, and pruning the rest.
public struct ImageService: Sendable {
    let store: any MachineStore
    let runtime: any HostRuntime
    let catalog: any ImageCatalog
    let logger: Logger

    public init(store: any MachineStore, runtime: any HostRuntime, catalog: any ImageCatalog, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.catalog = catalog
        self.logger = logger
    }

    /// The versions to keep: the newest of each image (new machines are cloned from it)
    /// and every version a machine names as `NAME:VERSION`. Machines made from an older
    /// version need nothing of it: each has its own volume.
    public static func kept(_ images: [CatalogImage], namedBy machines: [ImageName]) -> [CatalogImage] {
        let pinned = Set(machines.map(\.value))
        var newest: [ImageName: CatalogImage] = [:]
        for image in images { newest[image.name] = image }
        return images.filter { newest[$0.name] == $0 || pinned.contains($0.reference) }
    }

    /// Removes the templates of unkept versions on every host, then those versions' files
    /// on the control plane. Admins only.
    public func prune(by requester: Requester) async throws -> ImagePruneReport {
        try requester.principal.requireAdmin("pruning images")
        let images = try await catalog.images()
        let keep = Self.kept(images, namedBy: try await store.machines().map(\.spec.image))
        var report = ImagePruneReport()
        report.kept = keep.map(\.reference)
        let keptVersions = Set(keep.compactMap(\.sha256))
        for host in try await store.hosts() {
            do {
                let removed = try await runtime.pruneImages(on: host, keeping: keptVersions)
                if !removed.isEmpty { report.templatesRemoved[host.name] = removed }
            } catch {
                logger.warning("image.prune-host-failed", metadata: ["host": "\(host.name)", "error": "\(error)"])
                report.unreachable.append(host.name)
            }
        }
        for image in images where !keep.contains(image) {
            try await catalog.remove(image)
            report.removed.append(image.reference)
        }
        logger.info("image.pruned", metadata: ["removed": "\(report.removed)", "unreachable": "\(report.unreachable)"])
        return report
    }
}
