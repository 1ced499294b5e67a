import Foundation
import KennelModel

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a volume store, held while a volume's size is checked against the
/// store and claimed (a clone made, a file lengthened, an LV extended), so two creates or
/// grows can never both take the last space. The lock is `flock` on `.kennel-lock` in the
/// store: it holds between processes (the control plane's own agent for its local host,
/// `kennel node serve` and `kennel node call` for the same host over SSH) as well as
/// between tasks of one process, and the kernel drops it when its holder dies.
struct VolumeStoreLock: Sendable {
    /// The lock file's path.
    let path: String

    init(directory: String) { path = "\(directory)/.kennel-lock" }

    init(path: String) { self.path = path }

    /// Runs `body` holding the lock; waits for it (polling, never blocking a thread).
    func withLock<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw KennelError(.hostFailure, "cannot open the volume store's lock \(path): \(Self.reason(errno))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw KennelError(.hostFailure, "cannot lock the volume store \(path): \(Self.reason(errno))")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        defer { _ = flock(descriptor, LOCK_UN) }
        return try await body()
    }

    /// Under the lock: admits `bytes` more against the store's `commitment` as read now,
    /// then runs `claim`, which makes them count (a file made or lengthened, an LV made
    /// or extended) before the next admission reads the store again.
    func admitting<Value: Sendable>(
        _ bytes: UInt64, into store: String, for purpose: String,
        commitment: () async throws -> VolumeCommitment, claim: () async throws -> Value
    ) async throws -> Value {
        try await withLock {
            try await commitment().admit(bytes, store: store, purpose: purpose)
            return try await claim()
        }
    }

    private static func reason(_ number: Int32) -> String {
        POSIXErrorCode(rawValue: number).map { "\($0)" } ?? "errno \(number)"
    }
}
