import Foundation
import KennelModel

/// A built machine image on a host: a root filesystem tarball and its SHA-256.
public struct ImageArtifact: Sendable, Equatable {
    public let name: ImageName
    public let tarball: URL
    public let sha256: String

    public init(name: ImageName, tarball: URL, sha256: String) {
        self.name = name
        self.tarball = tarball
        self.sha256 = sha256
    }
}

/// A built image in an image store: `ROOT/NAME/NAME-VERSION.tar.gz` with its `.sha256`
/// and `.recipe` (the hash of the recipe it was built from).
public struct StoredImage: Sendable, Equatable {
    public let artifact: ImageArtifact
    /// `YYYYMMDD-HHMMSS`, UTC, of the build; later versions sort later.
    public let version: String
    public let recipeHash: String?
    public let sizeBytes: UInt64
}

/// Built machine images on this machine (`/var/lib/kennel/images` by default). Builds
/// are slow, so a build whose recipe has not changed reuses the newest image.
public struct ImageStore: Sendable {
    public let root: String
    private let runner: any CommandRunner

    public init(root: String = "/var/lib/kennel/images", runner: any CommandRunner = LocalCommandRunner()) {
        self.root = root
        self.runner = runner
    }

    /// Every complete image (tarball and checksum present), by name then version.
    public func list() throws -> [StoredImage] {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: root) else { return [] }
        var images: [StoredImage] = []
        for directory in try fileManager.contentsOfDirectory(atPath: root).sorted() {
            guard let name = try? ImageName(parsing: directory) else { continue }
            let folder = "\(root)/\(directory)"
            let files = (try? fileManager.contentsOfDirectory(atPath: folder)) ?? []
            for file in files where file.hasPrefix("\(directory)-") && file.hasSuffix(".tar.gz") {
                if let image = stored(name: name, file: file, in: folder) { images.append(image) }
            }
        }
        return images.sorted { ($0.artifact.name.value, $0.version) < ($1.artifact.name.value, $1.version) }
    }

    /// The image `name` names: `debian-12` is its newest version, `debian-12:VERSION` that
    /// version; nil when there is none.
    public func resolve(_ name: ImageName) throws -> StoredImage? {
        let parts = name.value.split(separator: ":", maxSplits: 1).map(String.init)
        let matching = try list().filter { $0.artifact.name.value == parts[0] }
        if parts.count == 2 { return matching.first { $0.version == parts[1] } }
        return matching.last
    }

    /// Deletes an image version: its tarball and the files beside it (checksum, recipe
    /// hash, verification record, unpacked tree of older Kennels).
    public func remove(_ image: StoredImage) throws {
        let tarball = image.artifact.tarball.path
        for path in [tarball + ".sha256", tarball + ".recipe", tarball + ".verified", tarball + ".rootfs", tarball]
        where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    /// Builds image `name` from `recipes/NAME/build` into the store, unless the newest
    /// image was built from the same recipe and `force` is false. Returns the image and
    /// whether it was reused.
    public func build(_ name: ImageName, recipes: String, force: Bool = false) async throws -> (image: StoredImage, reused: Bool) {
        let script = "\(recipes)/\(name.value)/build"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw KennelError(.notFound, "no image recipe at \(script)", field: "name")
        }
        let recipe = try await runner.run(script, ["--recipe-hash"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if !force, let newest = try resolve(name), newest.recipeHash == recipe {
            return (newest, true)
        }
        let printed = try await runner.run(script, ["\(root)/\(name.value)"])
        let tarball = printed.split(separator: "\n").last.map(String.init) ?? ""
        let file = (tarball as NSString).lastPathComponent
        guard let image = stored(name: name, file: file, in: "\(root)/\(name.value)") else {
            throw KennelError(.hostFailure, "the image build printed '\(tarball)', which is not a complete image")
        }
        return (image, false)
    }

    /// The SHA-256 written next to a tarball (`TARBALL.sha256`, in `sha256sum` format);
    /// nil when there is none.
    static func recordedChecksum(ofTarball path: String) -> String? {
        guard let line = try? String(contentsOfFile: path + ".sha256", encoding: .utf8) else { return nil }
        return line.split(separator: " ").first.map(String.init)
    }

    private func stored(name: ImageName, file: String, in folder: String) -> StoredImage? {
        let path = "\(folder)/\(file)"
        guard let sha256 = Self.recordedChecksum(ofTarball: path), sha256.count == 64,
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        else { return nil }
        let version = String(file.dropFirst(name.value.count + 1).dropLast(".tar.gz".count))
        let recipe = (try? String(contentsOfFile: path + ".recipe", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return StoredImage(
            artifact: ImageArtifact(name: name, tarball: URL(fileURLWithPath: path), sha256: sha256),
            version: version, recipeHash: recipe, sizeBytes: (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        )
    }
}
