import ArgumentParser

/// `kennel machine …`: manage machines through the API.
struct MachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Create, list, show, start, stop, restart and delete machines.",
        subcommands: [
            MachineCreate.self, MachineList.self, MachineShow.self, MachineStart.self, MachineStop.self, MachineRestart.self, MachineResize.self,
            MachineLimits.self, MachineVerifyBandwidth.self, MachineWait.self,
            MachineDelete.self,
        ]
    )
}
