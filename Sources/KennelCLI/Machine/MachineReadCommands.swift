import ArgumentParser
import KennelModel
import KennelServer

/// `kennel machine list`
struct MachineList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List machines.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        let (list, body) = try await options.client.decode(KennelServer.MachineList.self, .GET, "/api/v1/machines")
        print(options.json ? String(decoding: body, as: UTF8.self) : MachineText.table(list.machines), terminator: "")
    }
}

/// `kennel machine show NAME`
struct MachineShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one machine.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        let (machine, body) = try await options.client.decode(MachineView.self, .GET, "/api/v1/machines/\(name)")
        print(options.json ? String(decoding: body, as: UTF8.self) : MachineText.details(machine), terminator: "")
    }
}

/// `kennel machine delete NAME`
struct MachineDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a machine and release its address.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        let answer = try await options.client.send(.DELETE, "/api/v1/machines/\(name)")
        try APIClient.check(answer)
        print(options.json ? #"{"deleted":"\#(name)"}"# : "deleted \(name)")
    }
}
