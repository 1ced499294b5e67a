import Foundation
import KennelModel

#if canImport(Glibc)
    import Glibc
#endif

/// The space of the filesystem a loop-file volume directory is on, as statfs gives it.
struct FilesystemSpace: Sendable, Equatable {
    /// Its size.
    var totalBytes: UInt64
    /// What it can still give (to an unprivileged writer: root's reserve is not counted).
    var availableBytes: UInt64

    /// The filesystem `path` is on.
    static func of(_ path: String) throws -> FilesystemSpace {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: path)
        return FilesystemSpace(
            totalBytes: (attributes[.systemSize] as? NSNumber)?.uint64Value ?? 0,
            availableBytes: (attributes[.systemFreeSize] as? NSNumber)?.uint64Value ?? 0)
    }
}

/// A loop-file volume directory as a store: its volume files, templates and clones being
/// made, and what they promise against the filesystem under them.
struct LoopfileStore: Sendable {
    let directory: String
    /// Reads the filesystem's space (statfs; a fixed figure in tests).
    let space: @Sendable (String) throws -> FilesystemSpace

    /// The store's commitment now: the lengths of every file Kennel keeps there (a volume's
    /// length is the most it can hold), against the store's size. The store is the
    /// filesystem the directory is on, less what other files on it hold: its free space
    /// plus what Kennel's files hold now, at most the filesystem's size (a pool of its own,
    /// as `kennel host prepare --volumes loop-pool:SIZE` makes, is all Kennel's).
    func commitment() throws -> VolumeCommitment {
        var committed: UInt64 = 0
        var held: UInt64 = 0
        for path in try files() {
            let (length, allocated) = Self.sizes(of: path)
            committed += length
            held += allocated
        }
        let filesystem = try space(directory)
        let store = min(filesystem.totalBytes, filesystem.availableBytes + held)
        return VolumeCommitment(storeBytes: store, committedBytes: committed)
    }

    /// Kennel's files in the store: volumes and their partial clones, templates.
    private func files() throws -> [String] {
        let manager = FileManager.default
        let images = "\(directory)/images"
        let top = try manager.contentsOfDirectory(atPath: directory).map { "\(directory)/\($0)" }
        let templates = ((try? manager.contentsOfDirectory(atPath: images)) ?? []).map { "\(images)/\($0)" }
        return (top + templates).filter { path in
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            return FilesystemKind.allCases.contains { name.hasSuffix(".\($0)") || name.contains(".\($0)\(PartialFile.marker)") }
        }
    }

    /// A file's length and the bytes it holds on the filesystem (a sparse clone holds less
    /// than its length; blocks it shares by reflink are counted in each file sharing them).
    private static func sizes(of path: String) -> (length: UInt64, allocated: UInt64) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return (0, 0) }
        return (UInt64(max(info.st_size, 0)), UInt64(max(info.st_blocks, 0)) * 512)
    }
}
