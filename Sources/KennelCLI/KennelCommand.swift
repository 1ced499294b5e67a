import ArgumentParser
import Foundation

/// `kennel`: the control service (`serve`) and its command-line client.
public struct KennelCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kennel",
        abstract: "Long-lived Linux system containers that ops treat as VMs.",
        subcommands: [
            ServeCommand.self, MachineCommand.self, ImageCommand.self, NodeCommand.self, PoolCommand.self, HostCommand.self, TopologyCommand.self,
            PlacementCommand.self, ServiceCommand.self, OperationCommand.self, AuditCommand.self, LoginCommand.self, LogoutCommand.self,
            WhoamiCommand.self, UserCommand.self, TeamCommand.self, TokenCommand.self, SSHCommand.self, GrantCommand.self, BastionCommand.self,
            ImportCommand.self, ExportCommand.self, APICommand.self, CompletionCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line: like `main()`, but API refusals and an unreachable API end
    /// with their own exit codes (`CLIExit`), as JSON on standard error with `--json`.
    public static func runCommandLine(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        let json = arguments.contains("--json")
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let status = CLIExit.report(error, json: json)
            guard status < 0 else { return status }
            let message = fullMessage(for: error)
            let parserCode = exitCode(for: error)
            // ArgumentParser's usage errors (EX_USAGE, 64) are Kennel's 2.
            let code = parserCode == .validationFailure ? CLIExit.usage : parserCode.rawValue
            if !message.isEmpty {
                (code == 0 ? FileHandle.standardOutput : FileHandle.standardError).write(Data((message + "\n").utf8))
            }
            return code
        }
    }
}
