import KennelModel

/// One lock per machine name, so that a lifecycle operation (create, start, stop,
/// restart, delete) and the reconciler never act on the same machine at once; different
/// machines proceed in parallel. Waiters are served in the order they took their place
/// in line, which an operation does before its request is answered: operations on one
/// machine run in the order they were accepted.
public actor MachineLocks {
    /// A place in line for one machine's lock.
    public struct Ticket: Sendable, Hashable {
        let name: Hostname
        let number: UInt64
    }

    private var lines: [Hostname: [UInt64]] = [:]
    private var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var next: UInt64 = 0

    public init() {}

    /// Runs `body` holding `name`'s lock.
    public func withLock<Result: Sendable>(
        _ name: Hostname, _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let ticket = enqueue(name)
        await wait(for: ticket)
        defer { release(ticket) }
        return try await body()
    }

    /// Takes a place in line for `name`'s lock; `wait(for:)` then waits for the turn.
    /// Every ticket must be released.
    public func enqueue(_ name: Hostname) -> Ticket {
        next += 1
        lines[name, default: []].append(next)
        return Ticket(name: name, number: next)
    }

    /// Returns when `ticket` holds the lock.
    public func wait(for ticket: Ticket) async {
        guard lines[ticket.name]?.first != ticket.number else { return }
        await withCheckedContinuation { waiting[ticket.number] = $0 }
    }

    /// Gives the lock (or the place in line) up; the next in line gets the lock.
    public func release(_ ticket: Ticket) {
        guard var line = lines[ticket.name], let index = line.firstIndex(of: ticket.number) else { return }
        line.remove(at: index)
        lines[ticket.name] = line.isEmpty ? nil : line
        if index == 0, let head = line.first, let continuation = waiting.removeValue(forKey: head) {
            continuation.resume()
        }
    }
}
