/// A key's SHA256 fingerprint as `ssh-keygen -l` prints it: `SHA256:` and 43 characters of
/// unpadded base64. The prefix may be left out; a space stands for a `+` (what an
/// unencoded `+` in a query string becomes).
public struct KeyFingerprint: ParsableValue, Hashable {
    public let value: String

    public init(parsing text: String) throws(InvalidValue) {
        let body = (text.hasPrefix("SHA256:") ? String(text.dropFirst(7)) : text).replacingOccurrences(of: " ", with: "+")
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        guard body.count == 43, body.allSatisfy(base64.contains) else {
            throw InvalidValue("'\(Echo.short(text))' is not a SHA256 key fingerprint (SHA256: and 43 base64 characters, as ssh-keygen -l shows)")
        }
        value = "SHA256:" + body
    }

    public var description: String { value }
}
