import ArgumentParser
import KennelModel
import KennelWire

/// `kennel machine start NAME`
struct MachineStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a stopped machine and wait for its sshd.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/start", machine: name, noWait: operation.noWait)
    }
}

/// `kennel machine stop NAME`
struct MachineStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Shut a machine down (gracefully, then hard) and keep it stopped.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/stop", machine: name, noWait: operation.noWait)
    }
}

/// `kennel machine restart NAME`
struct MachineRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Stop then start a machine, as a reboot.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/restart", machine: name, noWait: operation.noWait)
    }
}
