@testable import KennelCLI
import Testing

@Suite("Progress bars")
struct ProgressBarTests {
    @Test(
        "the bar fills in proportion, never past its ends",
        arguments: [
            (0, 4, 8, "[........] 0/4"), (1, 4, 8, "[##......] 1/4"), (4, 4, 8, "[########] 4/4"), (5, 4, 8, "[########] 5/4"),
            (3, 0, 8, "[........] 3/0"), (50_000, 100_000, 10, "[#####.....] 50000/100000"),
        ] as [(Int, Int, Int, String)])
    func bar(done: Int, total: Int, width: Int, drawn: String) {
        #expect(ProgressBar.bar(done: done, total: total, width: width) == drawn)
    }
}
