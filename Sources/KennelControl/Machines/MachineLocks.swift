import KennelModel

/// One lock per machine name, so that a lifecycle request (create, start, stop, restart,
/// delete) and the reconciler never act on the same machine at once; different machines
/// proceed in parallel. Waiters are served first come, first served.
public actor MachineLocks {
    private var held: Set<Hostname> = []
    private var waiters: [Hostname: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    /// Runs `body` holding `name`'s lock.
    public func withLock<Result: Sendable>(
        _ name: Hostname, _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        await acquire(name)
        defer { release(name) }
        return try await body()
    }

    private func acquire(_ name: Hostname) async {
        guard held.contains(name) else {
            held.insert(name)
            return
        }
        await withCheckedContinuation { waiters[name, default: []].append($0) }
    }

    private func release(_ name: Hostname) {
        guard var queue = waiters[name], !queue.isEmpty else {
            held.remove(name)
            return
        }
        // The lock passes straight to the next waiter; `held` keeps the name.
        let next = queue.removeFirst()
        waiters[name] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
