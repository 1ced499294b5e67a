import Foundation
import KennelControl
import KennelModel

/// The filesystem side every volume driver shares: XFS made with reflink, mounted at the
/// machine's root filesystem path, grown online, and the image templates filled from an
/// image tarball. All through argv.
struct VolumeFilesystem: Sendable {
    let runner: any CommandRunner

    /// The smallest template: mkfs.xfs refuses filesystems under 300 MiB.
    static let smallestTemplate = ByteSize.mebibytes(512)

    /// Whether `path` is a mount point now.
    func isMounted(_ path: String) async throws -> Bool {
        try await runner.execute("mountpoint", ["-q", "--", path], input: nil).succeeded
    }

    /// Mounts `device` at `path` (made when missing) unless something is mounted there.
    /// Clones share their template's XFS UUID, so XFS is told not to check it.
    func mount(_ device: String, at path: String) async throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard try await !isMounted(path) else { return }
        _ = try await runner.run("mount", ["-t", "xfs", "-o", "nouuid", "--", device, path])
    }

    /// Unmounts `path` when something is mounted there.
    func unmount(_ path: String) async throws {
        guard try await isMounted(path) else { return }
        _ = try await runner.run("umount", ["--", path])
    }

    /// Grows the XFS mounted at `path` to its whole device (nothing when it has it).
    func grow(mountedAt path: String) async throws {
        _ = try await runner.run("xfs_growfs", ["-d", "--", path])
    }

    /// Makes an XFS with reflink on `device` (a file or a block device).
    func format(_ device: String) async throws {
        _ = try await runner.run("mkfs.xfs", ["-q", "-f", "-m", "reflink=1", "--", device])
    }

    /// How big a template for `image` is: one and a half times the unpacked tree (room
    /// for the filesystem's own metadata and a little to spare), at least 512 MiB (the
    /// smallest machine disk), in whole extents. `gzip -l` reads the size from the tarball's trailer.
    func templateSize(of image: VolumeImage) async throws -> ByteSize {
        let listing = try await runner.run("gzip", ["--list", "--quiet", "--", image.tarball])
        guard let unpacked = Self.uncompressedSize(inGzipListing: listing) else {
            throw KennelError(.hostFailure, "cannot read the unpacked size of \(image.tarball) from gzip --list")
        }
        return Self.templateSize(forUnpackedBytes: unpacked)
    }

    /// `COMPRESSED UNCOMPRESSED RATIO NAME` as `gzip --list --quiet` prints it.
    static func uncompressedSize(inGzipListing listing: String) -> UInt64? {
        let fields = listing.split(whereSeparator: \.isWhitespace)
        return fields.count >= 2 ? UInt64(fields[1]) : nil
    }

    static func templateSize(forUnpackedBytes bytes: UInt64) -> ByteSize {
        max(smallestTemplate, ByteSize(bytes: bytes / 2 * 3)).roundedUp(
            toMultipleOf: VolumeGeometry.extent)
    }

    /// Fills the freshly formatted `device` with the image's files: mounted on a private
    /// folder next to `scratch`, unpacked, unmounted (also when the unpack fails).
    func fill(_ device: String, from image: VolumeImage, scratch: String) async throws {
        let folder = "\(scratch).mnt"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try await runner.run("mount", ["-t", "xfs", "--", device, folder])
        do {
            _ = try await runner.run("tar", ["--extract", "--gzip", "--numeric-owner", "--file", image.tarball, "--directory", folder])
        } catch {
            _ = try? await runner.run("umount", ["--", folder])
            throw error
        }
        _ = try await runner.run("umount", ["--", folder])
    }
}
