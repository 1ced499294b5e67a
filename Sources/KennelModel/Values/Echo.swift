/// Cuts user text that an error message repeats back, so that an answer never carries
/// a long or hostile value whole.
public enum Echo {
    /// The default number of characters kept.
    public static let defaultLimit = 40

    /// `text` if it is short, else its first `limit` characters and `…`; control
    /// characters are shown as `?`.
    public static func short(_ text: String, limit: Int = defaultLimit) -> String {
        let cleaned = String(text.prefix(limit).map { $0.isASCII && ($0.asciiValue ?? 0) < 0x20 ? "?" : $0 })
        return text.count > limit ? cleaned + "…" : cleaned
    }
}
