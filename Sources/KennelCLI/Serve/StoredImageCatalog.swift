import KennelControl
import KennelHost
import KennelModel

/// The images of the control plane's image store, which hosts copy their images from.
/// An image's least disk is its tarball's size (a lower bound of its unpacked root
/// filesystem) or `MachineRequest.Minimums.disk`, whichever is larger.
struct StoredImageCatalog: ImageCatalog {
    let store: ImageStore

    func images() async throws -> [CatalogImage] {
        try store.list().map {
            CatalogImage(name: $0.artifact.name, version: $0.version, minimumDisk: ByteSize(bytes: $0.sizeBytes), sha256: $0.artifact.sha256)
        }
    }

    func remove(_ image: CatalogImage) async throws {
        guard let stored = try store.list().first(where: { $0.artifact.name == image.name && $0.version == image.version }) else { return }
        try store.remove(stored)
    }
}
