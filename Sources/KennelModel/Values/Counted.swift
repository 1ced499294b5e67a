/// "1 CPU", "2 CPUs", "1 machine", "0 machines": a count with its noun, singular for one.
public enum Counted {
    /// `count` and `noun`, with `plural` (default: `noun` + "s") unless the count is 1.
    public static func text(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
