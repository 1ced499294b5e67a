import KennelModel

/// A built image machines can be created from.
public struct CatalogImage: Sendable, Equatable {
    /// The image's name, such as `debian-12`.
    public let name: ImageName
    /// Its version (`YYYYMMDD-HHMMSS`), when the catalog keeps versions.
    public let version: String?
    /// The least disk a machine of this image needs: its root filesystem's size, and
    /// never less than `MachineRequest.Minimums.disk`.
    public let minimumDisk: ByteSize
    /// The SHA-256 of its tarball, which names the version's templates on hosts; nil
    /// for catalogs without files.
    public let sha256: String?

    /// Creates an entry.
    public init(name: ImageName, version: String? = nil, minimumDisk: ByteSize = MachineRequest.Minimums.disk, sha256: String? = nil) {
        self.name = name
        self.version = version
        self.minimumDisk = max(minimumDisk, MachineRequest.Minimums.disk)
        self.sha256 = sha256
    }

    /// `NAME:VERSION`, or the name alone.
    public var reference: String { version.map { "\(name):\($0)" } ?? name.value }

    /// Whether a request's `image` names this entry: `debian-12` names every version,
    /// `debian-12:VERSION` one.
    func isNamed(by requested: ImageName) -> Bool {
        let parts = requested.value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts[0] == name.value else { return false }
        return parts.count == 1 || parts[1] == version
    }
}

/// The images that exist (the control plane's image store on real sites, a fixed list
/// on simulated ones). A create naming another image is refused before anything is
/// claimed.
public protocol ImageCatalog: Sendable {
    /// Every built image, oldest version first.
    func images() async throws -> [CatalogImage]
    /// Deletes one image version's files.
    func remove(_ image: CatalogImage) async throws
}

extension ImageCatalog {
    /// The newest image `requested` names, or 422 `image` listing those that exist.
    func image(named requested: ImageName) async throws -> CatalogImage {
        let all = try await images()
        guard let image = all.last(where: { $0.isNamed(by: requested) }) else {
            let names = Set(all.map(\.name.value)).sorted()
            let known = names.isEmpty ? "no image is built yet (kennel image build debian-12)" : "built: \(names.joined(separator: ", "))"
            throw KennelError.invalid("image", "no image named '\(Echo.short(requested.value))'; \(known)")
        }
        return image
    }
}

/// A fixed list of images: simulated sites and tests.
public struct FixedImageCatalog: ImageCatalog {
    public let entries: [CatalogImage]

    /// A catalog of `entries`.
    public init(_ entries: [CatalogImage]) { self.entries = entries }

    /// The images a simulated site offers: the default image only.
    public static let simulated = FixedImageCatalog([CatalogImage(name: .defaultImage)])

    public func images() async throws -> [CatalogImage] { entries }

    /// A fixed catalog keeps its entries.
    public func remove(_ image: CatalogImage) async throws {}
}
