import Crypto
import Foundation
import KennelControl
import KennelServer

/// Uploads kept between an import's plan and its apply, so that the file is sent once:
/// each belongs to the session's token, lives half an hour, and at most `capacity` of
/// them and `byteLimit` bytes in all are kept (the oldest goes first).
actor KeptUploads<Upload: Sendable> {
    struct Entry {
        let owner: String
        let upload: Upload
        let keptAt: Date
    }

    private var entries: [String: Entry] = [:]
    private let capacity: Int
    private let lifetime: TimeInterval
    private let byteLimit: Int
    private let size: @Sendable (Upload) -> Int

    init(capacity: Int = 8, lifetime: TimeInterval = 1800, byteLimit: Int = 512 << 20, size: @escaping @Sendable (Upload) -> Int) {
        self.capacity = capacity
        self.lifetime = lifetime
        self.byteLimit = byteLimit
        self.size = size
    }

    /// Keeps `upload` for `owner` (a token hash); returns its id.
    func keep(_ upload: Upload, owner: String, now: Date = Date()) -> String {
        entries = entries.filter { now.timeIntervalSince($0.value.keptAt) < lifetime }
        let incoming = size(upload)
        while entries.count >= capacity || entries.values.reduce(incoming, { $0 + size($1.upload) }) > byteLimit,
            let oldest = entries.min(by: { $0.value.keptAt < $1.value.keptAt })?.key
        {
            entries[oldest] = nil
        }
        let id = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        entries[id] = Entry(owner: owner, upload: upload, keptAt: now)
        return id
    }

    /// The upload `id` of `owner`, if it is still kept.
    func upload(_ id: String, owner: String, now: Date = Date()) -> Upload? {
        guard let entry = entries[id], entry.owner == owner, now.timeIntervalSince(entry.keptAt) < lifetime else { return nil }
        return entry.upload
    }

    /// Forgets upload `id` (after its apply).
    func drop(_ id: String) { entries[id] = nil }
}

/// The console's kept import uploads.
typealias ImportUploads = KeptUploads<ImportUpload>

extension KeptUploads where Upload == ImportUpload {
    /// Import uploads, measured by their files' bytes.
    init() {
        self.init(size: { upload in upload.files.reduce(upload.map?.bytes.count ?? 0) { $0 + $1.bytes.count } })
    }
}
