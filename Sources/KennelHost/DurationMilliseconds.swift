extension Duration {
    /// The duration in whole milliseconds, as node requests and volume reports carry it.
    var wholeMilliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
