import Crypto
import Foundation
import KennelModel

/// The console's sign-ins: a random session secret (the cookie) stands for an API token,
/// kept only as the token's hash, so that revoking the token ends its sessions. Sessions
/// live in memory: a restart of `kennel serve` signs everyone out.
public actor ConsoleSessions {
    /// What a session knows: whose token it stands for and its form token.
    public struct Session: Sendable, Equatable {
        /// The SHA-256 of the API token it was opened with.
        public let tokenHash: String
        /// The token every form of this session must carry (`csrf`).
        public let formToken: String
        /// When it ends at the latest (never after its token).
        public let expiresAt: Date
        /// When it was last used; it ends after `idleLimit` without use.
        public fileprivate(set) var lastUsedAt: Date
    }

    /// The name of the cookie that carries a session's secret.
    public static let cookieName = "kennel_session"
    /// A session unused this long ends.
    public static let idleLimit: TimeInterval = 12 * 3600
    /// A session ends this long after sign-in at the latest.
    public static let lifetime: TimeInterval = 7 * 24 * 3600

    private let now: @Sendable () -> Date
    private let capacity: Int
    /// Sessions by the SHA-256 of their secret: the secret itself is never kept.
    private var sessions: [String: Session] = [:]

    /// Sessions on `environment`'s clock; past `capacity` the least recently used ends.
    public init(environment: ServiceEnvironment = .live, capacity: Int = 10_000) {
        self.now = environment.now
        self.capacity = capacity
    }

    /// Opens a session for the token whose hash is `tokenHash`, ending no later than
    /// `tokenExpiresAt`; returns the session's secret (the cookie's value) and the session.
    public func open(tokenHash: String, tokenExpiresAt: Date?) -> (secret: String, session: Session) {
        let start = now()
        let end = min(start.addingTimeInterval(Self.lifetime), tokenExpiresAt ?? .distantFuture)
        let secret = Self.randomText()
        let session = Session(tokenHash: tokenHash, formToken: Self.randomText(), expiresAt: end, lastUsedAt: start)
        if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.lastUsedAt < $1.value.lastUsedAt })?.key {
            sessions[oldest] = nil
        }
        sessions[Self.hash(secret)] = session
        return (secret, session)
    }

    /// The live session whose secret is `secret` (marked used), or nil; an expired or idle
    /// one is ended on the way.
    public func session(secret: String) -> Session? {
        let key = Self.hash(secret)
        guard var session = sessions[key] else { return nil }
        let moment = now()
        guard moment < session.expiresAt, moment.timeIntervalSince(session.lastUsedAt) < Self.idleLimit else {
            sessions[key] = nil
            return nil
        }
        session.lastUsedAt = moment
        sessions[key] = session
        return session
    }

    /// Ends the session whose secret is `secret` (sign-out); nothing if there is none.
    public func close(secret: String) {
        sessions[Self.hash(secret)] = nil
    }

    /// How many sessions are open.
    public var count: Int { sessions.count }

    /// Whether `presented` is `expected`, compared in constant time.
    public static func sameToken(_ presented: String, _ expected: String) -> Bool {
        let left = Array(presented.utf8)
        let right = Array(expected.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    private static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 256 random bits as base64url.
    private static func randomText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
