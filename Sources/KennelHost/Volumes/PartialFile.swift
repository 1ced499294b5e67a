import Foundation
import KennelModel

#if canImport(Glibc)
    import Glibc
#endif

/// A volume or template file being made under a private name (`NAME.partial-UUID`), held
/// with `flock` by its maker from the moment it exists until it is renamed into place or
/// removed. The kernel drops the lock when the maker dies, so a partial file no one holds
/// was left by a `kennel` killed mid-clone or mid-fill: it promises space no volume will
/// use and can go (`LoopfileVolumes` sweeps such files under the store's lock).
struct PartialFile: Sendable {
    /// The file's path.
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// The marker in a partial file's name, between the final name and a unique suffix.
    static let marker = ".partial-"

    /// A private name for a file that will become `file`.
    static func name(for file: String) -> String { "\(file)\(marker)\(UUID().uuidString)" }

    /// Makes the empty file `path` (which must not exist) and holds it. Programs that fill
    /// it (`cp`, `truncate`, `mkfs`) open it again and write into the same file.
    static func make(_ path: String) throws -> PartialFile {
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw KennelError(.hostFailure, "cannot make \(path): \(reason(errno))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let number = errno
            close(descriptor)
            unlink(path)
            throw KennelError(.hostFailure, "cannot hold \(path): \(reason(number))")
        }
        return PartialFile(path: path, descriptor: descriptor)
    }

    /// Lets the file go (after it was renamed into place or removed).
    func release() { close(descriptor) }

    /// Whether the file at `path` is a partial file no one holds (its maker is gone). A
    /// file that vanished meanwhile (renamed into place) is not.
    static func isAbandoned(_ path: String) -> Bool {
        guard isPartial(path) else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    /// Whether `path` names a partial file (not the scratch folder a template is filled
    /// through, `NAME.partial-UUID.mnt`).
    static func isPartial(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let range = name.range(of: marker) else { return false }
        return UUID(uuidString: String(name[range.upperBound...])) != nil
    }

    private static func reason(_ number: Int32) -> String {
        POSIXErrorCode(rawValue: number).map { "\($0)" } ?? "errno \(number)"
    }
}
