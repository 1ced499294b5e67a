import Foundation

/// Measures wall time of a block and prints a rate.
enum Stopwatch {
    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func report(_ label: String, operations: Int, seconds: Double) {
        let rate = Double(operations) / seconds
        let micros = seconds / Double(operations) * 1e6
        let figures = String(format: "%8d ops  %10.0f ops/s  %9.1f µs/op", operations, rate, micros)
        print(label.padding(toLength: 62, withPad: " ", startingAt: 0) + figures)
    }
}
