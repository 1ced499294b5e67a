import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, a plain line at
/// each tenth otherwise, nothing when quiet (`--json`).
struct ProgressBar {
    let label: String
    let terminal: Bool
    let quiet: Bool
    private var lastTenth = -1
    private var drawn = false

    init(label: String, terminal: Bool = isatty(STDERR_FILENO) == 1, quiet: Bool) {
        self.label = label
        self.terminal = terminal
        self.quiet = quiet
    }

    /// `[#########.....................] 3/10`: the bar of `width` cells for done of total.
    static func bar(done: Int, total: Int, width: Int = 30) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0
        let filled = Int(fraction * Double(width))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
    }

    /// Shows where the work stands; `detail` (the step under way) follows the bar.
    mutating func show(done: Int, total: Int, detail: String? = nil) {
        guard !quiet, total > 0 else { return }
        if terminal {
            // Clear to the end of the line: a shorter detail must not leave the last one's tail.
            let line = "\r\(label) \(Self.bar(done: done, total: total))\(detail.map { " \($0)" } ?? "")\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
            drawn = true
        } else {
            let tenth = Int(min(1, Double(done) / Double(total)) * 10)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            FileHandle.standardError.write(Data("\(label): \(done)/\(total)\n".utf8))
        }
    }

    /// Ends the bar's line.
    mutating func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
