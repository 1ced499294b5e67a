import Foundation
import KennelModel
import Subprocess

/// Runs a program with arguments (never through a shell) and collects what it printed.
public protocol CommandRunner: Sendable {
    /// Runs `executable` (a name looked up in PATH) with `arguments`;
    /// throws `host_failure` naming the command when it exits non-zero.
    func run(_ executable: String, _ arguments: [String]) async throws -> String
}

/// Runs commands on this machine through swift-subprocess.
public struct LocalCommandRunner: CommandRunner {
    public init() {}

    public func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .name(executable), arguments: Arguments(arguments), output: .string(limit: 1 << 20), error: .string(limit: 64 << 10)
        )
        guard case .exited(0) = result.terminationStatus else {
            let detail = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw KennelError(.hostFailure, "\(executable) \(arguments.first ?? "") failed (\(result.terminationStatus)): \(detail.suffix(500))")
        }
        return result.standardOutput
    }
}
