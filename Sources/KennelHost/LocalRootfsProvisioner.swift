import Foundation
import KennelGuest
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

/// Gives a machine its own root filesystem on this host: a clone of the image in
/// `machines/NAME/rootfs` (once: the root filesystem is the machine's disk, never
/// replaced, even when a newer image exists), its identity files written over it (every
/// time, so a re-provision repairs them), and an empty data directory.
///
/// The image tarball is unpacked once per host next to it (`….tar.gz.rootfs`); each
/// machine gets a `cp --reflink=auto` of that tree: a copy-on-write clone on XFS and
/// btrfs, a plain copy elsewhere (still about five times faster than unpacking).
public struct LocalRootfsProvisioner: Sendable {
    private let paths: HostPaths
    private let runner: any CommandRunner

    public init(paths: HostPaths, runner: any CommandRunner = LocalCommandRunner()) {
        self.paths = paths
        self.runner = runner
    }

    /// Provisions `machine` from `image` with `files`; safe to repeat.
    public func provision(_ machine: Hostname, from image: ImageArtifact, files: [GuestFile]) async throws {
        let fileManager = FileManager.default
        let rootfs = URL(fileURLWithPath: paths.rootfs(of: machine))
        let marker = URL(fileURLWithPath: paths.directory(of: machine)).appendingPathComponent("image.sha256")
        try fileManager.createDirectory(atPath: paths.data(of: machine), withIntermediateDirectories: true)
        // The marker is written last: a rootfs without it is a half-done extraction.
        if !fileManager.fileExists(atPath: marker.path) {
            if fileManager.fileExists(atPath: rootfs.path) { try fileManager.removeItem(at: rootfs) }
            let unpacked = try await unpack(image)
            _ = try await runner.run("cp", ["--archive", "--reflink=auto", "--no-target-directory", unpacked, rootfs.path])
            try Data(image.sha256.utf8).write(to: marker, options: .atomic)
        }
        for file in files { try write(file, under: rootfs) }
    }

    /// The image's unpacked tree, made once: unpacked into a private folder and renamed
    /// into place, so concurrent provisions never see half a tree.
    private func unpack(_ image: ImageArtifact) async throws -> String {
        let fileManager = FileManager.default
        let unpacked = image.tarball.path + ".rootfs"
        if fileManager.fileExists(atPath: unpacked) { return unpacked }
        let partial = "\(unpacked).partial-\(UUID().uuidString)"
        try fileManager.createDirectory(atPath: partial, withIntermediateDirectories: true)
        do {
            _ = try await runner.run("tar", ["--extract", "--gzip", "--numeric-owner", "--file", image.tarball.path, "--directory", partial])
            try fileManager.moveItem(atPath: partial, toPath: unpacked)
        } catch {
            try? fileManager.removeItem(atPath: partial)
            // Another provision finished the same tree first: use it.
            if fileManager.fileExists(atPath: unpacked) { return unpacked }
            throw error
        }
        return unpacked
    }

    /// Writes `files` into the machine's root filesystem, which must be provisioned.
    public func writeFiles(_ files: [GuestFile], for machine: Hostname) throws {
        let rootfs = URL(fileURLWithPath: paths.rootfs(of: machine))
        guard FileManager.default.fileExists(atPath: rootfs.path) else {
            throw KennelError(.hostFailure, "machine \(machine) has no root filesystem on this host yet")
        }
        for file in files { try write(file, under: rootfs) }
    }

    /// Removes everything of `machine` on this host; nothing to do when it is gone.
    public func remove(_ machine: Hostname) throws {
        let directory = paths.directory(of: machine)
        guard FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ file: GuestFile, under rootfs: URL) throws {
        guard file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
            throw KennelError(.internal, "guest file path \(file.path) escapes the root filesystem")
        }
        let target = rootfs.appendingPathComponent(String(file.path.dropFirst()))
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A symlink planted inside the guest must not redirect the write to the host.
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) != nil {
            try FileManager.default.removeItem(at: target)
        }
        try Data(file.contents.utf8).write(to: target, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: target.path)
    }
}
