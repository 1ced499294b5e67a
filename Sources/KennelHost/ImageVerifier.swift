import Foundation
import KennelModel

/// Whether an image tarball on this host is whole: its SHA-256 is computed (with
/// `sha256sum`, argv only) before its first use and remembered next to it as
/// `TARBALL.verified` — "SIZE MTIME SHA256" — so later checks cost a `stat` until the
/// file changes. A copy arrives under a temporary name and is renamed into place only
/// once it hashes right, so an interrupted copy never counts as present.
struct ImageVerifier: Sendable {
    let runner: any CommandRunner

    /// True when `path` exists and hashes to `sha256`. A file that does not is removed
    /// (with its records), so that it is copied again.
    func isVerified(_ path: String, sha256: String) async throws -> Bool {
        let fileManager = FileManager.default
        guard let stamp = Self.stamp(of: path) else { return false }
        if let record = try? String(contentsOfFile: path + ".verified", encoding: .utf8),
            record.trimmingCharacters(in: .whitespacesAndNewlines) == "\(stamp) \(sha256)"
        {
            return true
        }
        guard try await hash(of: path) == sha256 else {
            for stale in [path, path + ".sha256", path + ".verified"] { try? fileManager.removeItem(atPath: stale) }
            return false
        }
        try record(path, stamp: stamp, sha256: sha256)
        return true
    }

    /// Moves a copied file from `partial` to `path` once it hashes to `sha256` (flushed
    /// to disk first); a file that does not is removed and `host_failure` is thrown.
    func install(_ partial: String, as path: String, sha256: String) async throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: partial) else {
            throw KennelError(.hostFailure, "the image copy did not arrive on this host")
        }
        guard try await hash(of: partial) == sha256 else {
            try? fileManager.removeItem(atPath: partial)
            throw KennelError(.hostFailure, "the image copy arrived damaged (checksum mismatch); it was removed")
        }
        _ = try await runner.run("sync", ["--data", partial])
        if fileManager.fileExists(atPath: path) { try fileManager.removeItem(atPath: path) }
        try fileManager.moveItem(atPath: partial, toPath: path)
        try Data("\(sha256)  \((path as NSString).lastPathComponent)\n".utf8).write(
            to: URL(fileURLWithPath: path + ".sha256"), options: .atomic)
        if let stamp = Self.stamp(of: path) { try record(path, stamp: stamp, sha256: sha256) }
    }

    /// The file's SHA-256 in lower-case hex.
    func hash(of path: String) async throws -> String {
        let output = try await runner.run("sha256sum", ["--binary", "--", path])
        return String(output.prefix { !$0.isWhitespace }).lowercased()
    }

    private func record(_ path: String, stamp: String, sha256: String) throws {
        try Data("\(stamp) \(sha256)\n".utf8).write(to: URL(fileURLWithPath: path + ".verified"), options: .atomic)
    }

    /// "SIZE MTIME" of a file, nil when there is none.
    static func stamp(of path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return "\(size.int64Value) \(modified.timeIntervalSince1970)"
    }
}
