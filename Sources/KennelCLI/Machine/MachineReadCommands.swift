import ArgumentParser
import KennelModel
import KennelWire

/// `kennel machine list`
struct MachineList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List machines.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(KennelWire.MachineList.self, .GET, "/api/v1/machines") { MachineText.table($0.machines) }
    }
}

/// `kennel machine show NAME`
struct MachineShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one machine.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.print(MachineView.self, .GET, "/api/v1/machines/\(name)", text: MachineText.details)
    }
}

/// `kennel machine delete NAME`
struct MachineDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a machine and release its address.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        guard try await OperationFollower(options: options).run(.DELETE, "/api/v1/machines/\(name)", form: nil, noWait: operation.noWait) != nil,
            !operation.noWait
        else { return }
        print(options.json ? #"{"deleted":"\#(name)"}"# : "deleted \(name)")
    }
}
