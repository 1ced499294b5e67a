import Foundation
import KennelHost
import KennelModel
import Testing

/// Against a real recipe script (a stand-in for debootstrap) in a temporary directory.
@Suite("Image store")
struct ImageStoreTests {
    /// A recipe `Images/tiny/build` that counts its builds and writes a tarball the way the
    /// real recipe does; `--recipe-hash` hashes the contents of `recipe.txt`.
    private func workbench() throws -> (directory: URL, store: ImageStore, recipes: String, name: ImageName) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-images-\(UUID())")
        let recipe = directory.appendingPathComponent("recipes/tiny")
        try FileManager.default.createDirectory(at: recipe, withIntermediateDirectories: true)
        try Data("v1\n".utf8).write(to: recipe.appendingPathComponent("recipe.txt"))
        let script = """
            #!/bin/sh
            set -eu
            here="$(dirname "$0")"
            if [ "$1" = --recipe-hash ]; then sha256sum "$here/recipe.txt" | cut -d' ' -f1; exit 0; fi
            echo built >> "$here/builds"
            mkdir -p "$1"
            version="$(date -u +%Y%m%d-%H%M%S)-$(cat "$here/builds" | wc -l)"
            tree="$(mktemp -d)"; echo hi > "$tree/hello"
            tar -czf "$1/tiny-$version.tar.gz" -C "$tree" .
            (cd "$1" && sha256sum "tiny-$version.tar.gz" > "tiny-$version.tar.gz.sha256")
            "$0" --recipe-hash > "$1/tiny-$version.tar.gz.recipe"
            echo "debootstrap noise"
            echo "$1/tiny-$version.tar.gz"
            """
        let path = recipe.appendingPathComponent("build").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        let store = ImageStore(root: directory.appendingPathComponent("store").path)
        return (directory, store, directory.appendingPathComponent("recipes").path, try ImageName(parsing: "tiny"))
    }

    @Test("a build lands in the store with its checksum; an unchanged recipe reuses it, a changed or forced one builds anew")
    func buildAndReuse() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        #expect(try bench.store.list().isEmpty)
        let first = try await bench.store.build(bench.name, recipes: bench.recipes)
        #expect(!first.reused)
        #expect(first.image.artifact.sha256.count == 64)
        #expect(FileManager.default.fileExists(atPath: first.image.artifact.tarball.path))
        let again = try await bench.store.build(bench.name, recipes: bench.recipes)
        #expect(again.reused && again.image == first.image)

        try Data("v2\n".utf8).write(to: URL(fileURLWithPath: bench.recipes + "/tiny/recipe.txt"))
        let changed = try await bench.store.build(bench.name, recipes: bench.recipes)
        #expect(!changed.reused)
        let forced = try await bench.store.build(bench.name, recipes: bench.recipes, force: true)
        #expect(!forced.reused)
        #expect(try bench.store.list().count == 3)
        #expect(try bench.store.resolve(bench.name) == forced.image)
        #expect(try bench.store.resolve(ImageName(parsing: "tiny:\(first.image.version)")) == first.image)
        #expect(try bench.store.resolve(ImageName(parsing: "tiny:19990101-000000")) == nil)
        #expect(try bench.store.resolve(ImageName(parsing: "other")) == nil)
    }

    @Test("an image without its checksum file is not listed (a build cut short)")
    func incomplete() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let folder = bench.store.root + "/tiny"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/tiny-20260101-000000.tar.gz"))
        #expect(try bench.store.list().isEmpty)
    }

    @Test("a name without a recipe is not_found naming the field")
    func noRecipe() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        await #expect {
            _ = try await bench.store.build(ImageName(parsing: "nope"), recipes: bench.recipes)
        } throws: { ($0 as? KennelError)?.code == .notFound && ($0 as? KennelError)?.field == "name" }
    }
}
