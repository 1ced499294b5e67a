import Foundation
import KennelGuest
import KennelModel

#if canImport(Glibc)
    import Glibc
#endif

/// A machine's root filesystem as the host reads and writes it, without ever following a
/// link the guest made. Root inside a machine owns every file there and can swap a
/// directory for a symlink to `/etc` at any moment; a path joined on the host would then
/// write the host's files. So each directory on the way is opened relative to the one
/// before with `O_NOFOLLOW | O_DIRECTORY` (a link there is refused, not followed), a file
/// is written under a fresh name with `O_EXCL | O_NOFOLLOW` and renamed over the old one
/// (a rename replaces a link, never follows it), and a file is read with `O_NOFOLLOW`.
public struct GuestRoot: Sendable {
    /// The root filesystem's path on the host (Kennel's own, trusted).
    public let path: String

    public init(path: String) { self.path = path }

    /// Writes `file` (made with its mode, the directories on its way with 0755 when missing).
    public func write(_ file: GuestFile) throws {
        let (names, last) = try Self.components(of: file.path)
        let directory = try openDirectory(names, creating: true)
        defer { close(directory) }
        let temporary = ".kennel-\(UUID().uuidString.prefix(8))-\(last)"
        let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(file.mode))
        guard descriptor >= 0 else { throw failure("cannot create", file.path) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(file.contents.utf8))
            guard fchmod(descriptor, mode_t(file.mode)) == 0 else { throw failure("cannot set the mode of", file.path) }
            try handle.synchronize()
        } catch {
            unlinkat(directory, temporary, 0)
            throw error
        }
        guard renameat(directory, temporary, directory, last) == 0 else {
            let error = failure("cannot put in place", file.path)
            unlinkat(directory, temporary, 0)
            throw error
        }
    }

    /// The text of the file at `path`, nil when it does not exist; a link anywhere on the
    /// way, or a file larger than `limit` bytes, is refused.
    public func read(_ path: String, limit: Int = 65_536) throws -> String? {
        let (names, last) = try Self.components(of: path)
        let directory: Int32
        do {
            directory = try openDirectory(names, creating: false)
        } catch is MissingPath {
            return nil
        }
        defer { close(directory) }
        let descriptor = openat(directory, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot read", path)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else {
            throw KennelError(.hostFailure, "\(path) in the machine's root filesystem is larger than \(limit) bytes")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// What is at `path`, the last name not followed (a link on the way is refused).
    public enum Kind: Equatable, Sendable {
        case missing, link, other
        /// A regular file of that many bytes.
        case file(Int)
    }

    /// What is at `path`, looked at without following a link (`fstatat` with
    /// `AT_SYMLINK_NOFOLLOW`); a directory missing on the way is `.missing`.
    public func kind(of path: String) throws -> Kind {
        let (names, last) = try Self.components(of: path)
        let directory: Int32
        do {
            directory = try openDirectory(names, creating: false)
        } catch is MissingPath {
            return .missing
        }
        defer { close(directory) }
        var status = stat()
        guard fstatat(directory, last, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return .missing }
            throw failure("cannot look at", path)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file(Int(status.st_size))
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// The directories of an absolute guest path and its last name; `..`, `.` and empty
    /// names are refused.
    static func components(of path: String) throws -> (directories: [String], last: String) {
        let names = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard path.hasPrefix("/"), let last = names.last, !names.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw KennelError(.internal, "guest file path \(path) is not a plain absolute path")
        }
        return (Array(names.dropLast()), last)
    }

    /// A directory missing on the way, when not creating.
    private struct MissingPath: Error {}

    /// The directory `names` below the root, opened one name at a time without following links.
    private func openDirectory(_ names: [String], creating: Bool) throws -> Int32 {
        var current = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw KennelError(.hostFailure, "the machine's root filesystem \(path) cannot be opened") }
        var walked = ""
        for name in names {
            walked += "/" + name
            var next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT {
                guard creating else {
                    close(current)
                    throw MissingPath()
                }
                if mkdirat(current, name, 0o755) != 0, errno != EEXIST {
                    let error = failure("cannot make", walked)
                    close(current)
                    throw error
                }
                next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                let refused = errno == ELOOP || errno == ENOTDIR
                let error =
                    refused
                    ? KennelError(.hostFailure, "\(walked) in the machine's root filesystem is a link or not a directory: refused")
                    : failure("cannot open", walked)
                close(current)
                throw error
            }
            close(current)
            current = next
        }
        return current
    }

    private func failure(_ what: String, _ guestPath: String) -> KennelError {
        KennelError(.hostFailure, "\(what) \(guestPath) in the machine's root filesystem: \(String(cString: strerror(errno)))")
    }
}
