import Foundation
import KennelModel

/// Writes audit entries inside a service's transaction, so the change and its entry
/// commit or roll back together. Objects are kept as JSON with sorted keys; SSH keys
/// and token secrets never appear.
struct AuditTrail: Sendable {
    let requester: Requester
    let at: Date
    var operation: Int64? = nil

    /// Appends `action` (e.g. `machine.create`) on `kind` `target` with the object as it
    /// was and as it is.
    @discardableResult
    func record(
        _ action: String, _ kind: String, _ target: String, before: (any Encodable)? = nil, after: (any Encodable)? = nil,
        in store: any AuditRecords
    ) throws -> Int64 {
        try store.appendAudit(
            AuditChange(
                user: requester.user.value, action: action, targetKind: kind, target: target, before: Self.json(before),
                after: Self.json(after), source: requester.source, operation: operation),
            at: at)
    }

    /// Keys left out of every audited object.
    static let redacted: Set<String> = ["sshKeys", "ssh_keys", "secret", "token", "sha256"]
    /// The redacted keys as they appear in JSON (quoted), to find them without parsing.
    private static let redactedNames = redacted.map { Data("\"\($0)\"".utf8) }

    /// `value` as compact JSON with sorted keys, redacted; nil for nil.
    static func json(_ value: (any Encodable)?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return nil }
        // Most objects carry no redacted key: their sorted JSON is the entry as it is.
        guard redactedNames.contains(where: { data.range(of: $0) != nil }) else { return String(decoding: data, as: UTF8.self) }
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return String(decoding: data, as: UTF8.self)
        }
        for key in redacted { object.removeValue(forKey: key) }
        guard let cleaned = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return nil
        }
        return String(decoding: cleaned, as: UTF8.self)
    }
}
