import Foundation
import KennelControl
import KennelModel

/// The filesystem side every volume driver shares: XFS (made with reflink) or ext4,
/// mounted at the machine's root filesystem path, grown online (or offline before its
/// first mount), ext4 shrunk offline, and the image templates filled from an image
/// tarball. All through argv.
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
    func mount(_ device: String, _ kind: FilesystemKind, at path: String) async throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard try await !isMounted(path) else { return }
        _ = try await runner.run("mount", Self.mountArguments(kind) + ["--", device, path])
    }

    /// `discard`: what the machine deletes is given back below it (a hole punched in the
    /// volume file by its loop device, or free space in the LVM thin pool), so a volume holds
    /// on the host what its filesystem holds, not the most it ever held.
    private static func mountArguments(_ kind: FilesystemKind) -> [String] {
        switch kind {
        case .xfs: ["-t", "xfs", "-o", "nouuid,discard"]
        case .ext4: ["-t", "ext4", "-o", "discard"]
        }
    }

    /// Unmounts `path` when something is mounted there.
    func unmount(_ path: String) async throws {
        guard try await isMounted(path) else { return }
        _ = try await runner.run("umount", ["--", path])
    }

    /// Grows the filesystem on `device`, mounted at `path`, to the whole device (nothing
    /// when it has it): `xfs_growfs` on the mount point, `resize2fs` on the device.
    func grow(_ device: String, _ kind: FilesystemKind, mountedAt path: String) async throws {
        switch kind {
        case .xfs: _ = try await runner.run("xfs_growfs", ["-d", "--", path])
        case .ext4: _ = try await runner.run("resize2fs", ["--", device])
        }
    }

    /// Grows an unmounted ext4 on `device` to the whole device, checked first unless it is
    /// a fresh clone of a template checked when it was filled; XFS grows only mounted, so
    /// it waits for its mount.
    func growUnmounted(_ device: String, _ kind: FilesystemKind, freshClone: Bool) async throws {
        guard kind == .ext4 else { return }
        if !freshClone { try await check(device) }
        _ = try await runner.run("resize2fs", ["--", device])
    }

    /// Makes the filesystem on `device` (a file or a block device); with `fourKiBUnits`,
    /// XFS sectors and ext4 blocks of 4 KiB, so that a loop device can attach it with
    /// direct I/O (`FilesystemUnit`).
    func format(_ device: String, _ kind: FilesystemKind, fourKiBUnits: Bool = false) async throws {
        switch kind {
        case .xfs:
            let sectors = fourKiBUnits ? ["-s", "size=\(FilesystemUnit.directIOBytes)"] : []
            _ = try await runner.run("mkfs.xfs", ["-q", "-f", "-m", "reflink=1"] + sectors + ["--", device])
        case .ext4:
            let blocks = fourKiBUnits ? ["-b", String(FilesystemUnit.directIOBytes)] : []
            _ = try await runner.run("mkfs.ext4", ["-q", "-F"] + blocks + ["--", device])
        }
    }

    /// `e2fsck -f -y` on an unmounted ext4: exit 0 (clean) or 1 (errors fixed) is fine.
    /// e2fsck opens the device exclusively, so it fails on one mounted anywhere (in a
    /// container's namespace too) instead of touching it.
    func check(_ device: String) async throws {
        let result = try await runner.execute("e2fsck", ["-f", "-y", "--", device], input: nil)
        guard result.status == 0 || result.status == 1 else {
            throw KennelError(
                .hostFailure, "e2fsck of \(device) exited \(result.status.map(String.init) ?? "on a signal"): \(result.errorOutput.suffix(300))")
        }
    }

    /// Shrinks the unmounted ext4 on `device` to `size` (the volume is cut after): checked
    /// first, refused naming the smallest size resize2fs can reach when `size` is below it.
    func shrink(_ device: String, to size: ByteSize, machine: Hostname) async throws {
        try await check(device)
        let minimum = try await smallestSize(of: device)
        guard size >= minimum else {
            throw KennelError(
                .conflict,
                "the files of \(machine) need at least \(minimum.roundedUp(toMultipleOf: VolumeGeometry.extent)); \(size) cannot hold them",
                field: "disk")
        }
        _ = try await runner.run("resize2fs", ["--", device, "\(size.bytes / 1024)K"])
    }

    /// The offline shrink both drivers run: unmounted, the filesystem shrunk (mounted back
    /// when that is refused or fails), the volume cut by `cut`, checked read-only, and
    /// mounted back if it was.
    func shrinkOffline(
        _ device: String, _ kind: FilesystemKind, to size: ByteSize, machine: Hostname, mountedAt mountPoint: String,
        cut: () async throws -> Void
    ) async throws {
        let wasMounted = try await isMounted(mountPoint)
        try await unmount(mountPoint)
        do {
            try await shrink(device, to: size, machine: machine)
        } catch {
            if wasMounted { try? await mount(device, kind, at: mountPoint) }
            throw error
        }
        // From here the filesystem fits in `size`: cut the volume, then check.
        try await cut()
        try await verify(device)
        if wasMounted { try await mount(device, kind, at: mountPoint) }
    }

    /// After a shrink: a read-only `e2fsck -f -n` must find the filesystem clean.
    func verify(_ device: String) async throws {
        let result = try await runner.execute("e2fsck", ["-f", "-n", "--", device], input: nil)
        guard result.status == 0 else {
            throw KennelError(
                .hostFailure,
                "e2fsck -n of \(device) after the shrink exited \(result.status.map(String.init) ?? "on a signal"): \(result.errorOutput.suffix(300))"
            )
        }
    }

    /// The smallest size resize2fs can shrink `device` to: `resize2fs -P` blocks times the
    /// block size `dumpe2fs -h` reports.
    func smallestSize(of device: String) async throws -> ByteSize {
        let estimate = try await runner.run("resize2fs", ["-P", "--", device])
        let header = try await runner.run("dumpe2fs", ["-h", "--", device])
        guard let blocks = Self.number(after: "Estimated minimum size of the filesystem:", in: estimate),
            let blockSize = Self.number(after: "Block size:", in: header)
        else { throw KennelError(.hostFailure, "cannot read the smallest size of \(device) from resize2fs -P and dumpe2fs -h") }
        return ByteSize(bytes: blocks * blockSize)
    }

    /// The number after `label` on its line of `text`.
    static func number(after label: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: label) else { continue }
            return UInt64(line[range.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        return nil
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
    /// folder next to `scratch`, unpacked, unmounted (also when the unpack fails); an ext4
    /// is checked after, so that its clones grow before their first mount without one.
    func fill(_ device: String, _ kind: FilesystemKind, from image: VolumeImage, scratch: String) async throws {
        let folder = "\(scratch).mnt"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try await runner.run("mount", ["-t", kind.rawValue, "--", device, folder])
        do {
            _ = try await runner.run("tar", ["--extract", "--gzip", "--numeric-owner", "--file", image.tarball, "--directory", folder])
        } catch {
            _ = try? await runner.run("umount", ["--", folder])
            throw error
        }
        _ = try await runner.run("umount", ["--", folder])
        if kind == .ext4 { try await check(device) }
    }
}
