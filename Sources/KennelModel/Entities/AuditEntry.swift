import Foundation

/// One change as the audit log keeps it: who did what to which object, with the
/// object's state before and after as JSON. Append-only.
public struct AuditEntry: Sendable, Hashable, Codable {
    public let id: Int64
    public let at: Date
    /// The user who asked (`kennel` for the service itself).
    public let user: String
    /// What was done, e.g. `machine.create`, `pool.update`, `token.revoke`.
    public let action: String
    /// The kind of object changed: `machine`, `pool`, `host`, `user`, `team`, `token`, `site`.
    public let targetKind: String
    /// The object's name.
    public let target: String
    /// The object before the change (JSON), nil for a creation.
    public let before: String?
    /// The object after the change (JSON), nil for a deletion.
    public let after: String?
    /// The client address the request came from, when there was a request.
    public let source: String?
    /// The operation that carried the change out, for long actions.
    public let operation: Int64?

    public init(
        id: Int64, at: Date, user: String, action: String, targetKind: String, target: String, before: String?, after: String?,
        source: String?, operation: Int64?
    ) {
        self.id = id
        self.at = at
        self.user = user
        self.action = action
        self.targetKind = targetKind
        self.target = target
        self.before = before
        self.after = after
        self.source = source
        self.operation = operation
    }
}
