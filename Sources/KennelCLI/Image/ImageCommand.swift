import ArgumentParser
import Foundation
import KennelHost
import KennelModel
import KennelWire

/// `kennel image …`: machine images in this machine's image store.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build, list and prune machine images.",
        subcommands: [ImageBuild.self, ImageList.self, ImagePrune.self]
    )
}

/// Where images are kept.
struct ImageStoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Image store directory.", valueName: "dir"))
    var store: String = "/var/lib/kennel/images"
}

/// `kennel image build NAME`
struct ImageBuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an image from its recipe (Images/NAME), unless the newest one has the same recipe."
    )

    @OptionGroup var storeOptions: ImageStoreOptions
    @Option(help: ArgumentHelp("Directory of image recipes.", valueName: "dir")) var recipes: String = "Images"
    @Flag(help: "Build even when the newest image has the same recipe.") var force = false
    @Argument(help: "Image name, e.g. debian-12.", transform: parsed(ImageName.self)) var name: ImageName

    func run() async throws {
        let store = ImageStore(root: storeOptions.store)
        let started = ContinuousClock.now
        let (image, reused) = try await store.build(name, recipes: recipes, force: force)
        let took = ContinuousClock.now - started
        print(
            reused
                ? "reused \(image.artifact.name):\(image.version) (recipe unchanged)"
                : "built \(image.artifact.name):\(image.version) in \(took.formatted(.units(allowed: [.seconds])))")
        print(image.artifact.tarball.path)
    }
}

/// `kennel image list`
struct ImageList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List built images.")

    @OptionGroup var storeOptions: ImageStoreOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let images = try ImageStore(root: storeOptions.store).list()
        if json {
            let rows = images.map {
                [
                    "name": $0.artifact.name.value, "version": $0.version, "sha256": $0.artifact.sha256,
                    "path": $0.artifact.tarball.path, "size_bytes": "\($0.sizeBytes)",
                ]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: ["images": rows], options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(
            TextTable.render(
                headers: ["NAME", "VERSION", "SIZE", "SHA256"],
                rows: images.map {
                    [$0.artifact.name.value, $0.version, ByteSize(bytes: $0.sizeBytes).description, String($0.artifact.sha256.prefix(16))]
                }
            ), terminator: "")
    }
}

/// `kennel image prune`: through the API, since hosts' templates go too.
struct ImagePrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove image versions no machine needs, on the control plane and their templates on hosts (admins).",
        discussion: "Keeps the newest version of each image and every version a machine names as NAME:VERSION.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(ImagePruneView.self, .POST, "/api/v1/images/prune", form: []) { report in
            var lines = report.removed.map { "removed \($0)" } + report.kept.map { "kept \($0)" }
            lines += report.templatesRemoved.sorted { $0.key < $1.key }.map { "host \($0.key): removed \($0.value.count) template(s)" }
            lines += report.unreachable.map { "host \($0): not reached; its templates stay until the next prune" }
            return lines.map { $0 + "\n" }.joined()
        }
    }
}
