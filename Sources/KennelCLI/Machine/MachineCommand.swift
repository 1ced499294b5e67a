import ArgumentParser

/// `kennel machine …`: manage machines through the API.
struct MachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Create, list, show and delete machines.",
        subcommands: [MachineCreate.self, MachineList.self, MachineShow.self, MachineDelete.self]
    )
}
