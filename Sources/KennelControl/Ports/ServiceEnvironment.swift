import Foundation

/// The source of time and identities for services, so tests can fix both.
public struct ServiceEnvironment: Sendable {
    /// The current time.
    public var now: @Sendable () -> Date
    /// A fresh machine UUID.
    public var makeUUID: @Sendable () -> UUID

    /// Creates an environment.
    public init(now: @escaping @Sendable () -> Date, makeUUID: @escaping @Sendable () -> UUID) {
        self.now = now
        self.makeUUID = makeUUID
    }

    /// Wall clock and random UUIDs.
    public static let live = ServiceEnvironment(now: { Date() }, makeUUID: { UUID() })
}
