import Foundation

/// How far running operations that count items (an import's rows) have come, kept in
/// memory and read with the operation. Updated from inside store transactions, so it
/// takes a lock rather than an actor's turn.
public final class OperationProgress: @unchecked Sendable {
    /// Items done of a total.
    public struct Count: Sendable, Equatable {
        public let done: Int
        public let total: Int

        public init(done: Int, total: Int) {
            self.done = done
            self.total = total
        }
    }

    private let lock = NSLock()
    private var counts: [Int64: Count] = [:]

    public init() {}

    /// Sets where operation `id` stands.
    public func set(_ id: Int64, done: Int, total: Int) {
        lock.withLock { counts[id] = Count(done: done, total: total) }
    }

    /// Where operation `id` stands, if it counts items and runs.
    public func count(of id: Int64) -> Count? { lock.withLock { counts[id] } }

    /// Forgets operation `id` (it ended).
    public func clear(_ id: Int64) {
        _ = lock.withLock { counts.removeValue(forKey: id) }
    }
}
