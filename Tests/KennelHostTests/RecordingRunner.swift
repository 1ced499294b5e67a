import KennelHost

/// A command runner that records argv and answers from a script of canned results.
actor RecordingRunner: CommandRunner {
    private(set) var commands: [[String]] = []
    /// What each command was given on its standard input (nil: nothing), in order.
    private(set) var inputs: [String?] = []
    private let answer: @Sendable ([String]) -> CommandResult

    init(answer: @escaping @Sendable ([String]) -> CommandResult = { _ in CommandResult(status: 0, output: "", errorOutput: "") }) {
        self.answer = answer
    }

    func execute(_ executable: String, _ arguments: [String], input: String?) async throws -> CommandResult {
        let argv = [executable] + arguments
        commands.append(argv)
        inputs.append(input)
        return answer(argv)
    }
}
