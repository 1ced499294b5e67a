import Foundation
import KennelModel
import Subprocess
import SystemPackage

/// What a finished command printed, and how it ended.
public struct CommandResult: Sendable, Equatable {
    /// The exit status; nil when a signal ended it.
    public let status: Int32?
    public let output: String
    public let errorOutput: String

    public init(status: Int32?, output: String, errorOutput: String) {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }

    /// Whether it exited with status 0.
    public var succeeded: Bool { status == 0 }
}

/// Runs a program with arguments (never through a shell) and collects what it printed.
public protocol CommandRunner: Sendable {
    /// Runs `executable` (a path, or a bare name looked up in PATH) with `arguments`,
    /// writing `input` to its standard input, and reports how it ended.
    func execute(_ executable: String, _ arguments: [String], input: String?) async throws -> CommandResult
}

extension CommandRunner {
    /// Runs a command and returns what it printed; throws `host_failure` naming the
    /// command when it does not exit with status 0.
    public func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> String {
        let result = try await execute(executable, arguments, input: input)
        guard result.succeeded else {
            let detail = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let ending = result.status.map { "exit status \($0)" } ?? "killed by a signal"
            let command = ([executable] + arguments.prefix(2)).joined(separator: " ")
            throw KennelError(.hostFailure, "\(command) failed (\(ending)): \(detail.suffix(800))")
        }
        return result.output
    }
}

/// Runs commands on this machine through swift-subprocess.
public struct LocalCommandRunner: CommandRunner {
    public init() {}

    public func execute(_ executable: String, _ arguments: [String], input: String?) async throws -> CommandResult {
        let program: Executable =
            if executable.hasPrefix("/") {
                .path(FilePath(executable))
            } else if executable.contains("/") {
                .path(FilePath(FileManager.default.currentDirectoryPath + "/" + executable))
            } else if let found = ExecutableSearch.resolve(executable) {
                .path(FilePath(found))
            } else {
                .name(executable)
            }
        let result = try await Subprocess.run(
            program, arguments: Arguments(arguments), input: .string(input ?? ""),
            output: .string(limit: 4 << 20), error: .string(limit: 256 << 10)
        )
        let status: Int32? = if case .exited(let code) = result.terminationStatus { code } else { nil }
        return CommandResult(status: status, output: result.standardOutput, errorOutput: result.standardError)
    }
}
