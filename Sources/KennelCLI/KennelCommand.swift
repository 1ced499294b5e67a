import ArgumentParser

/// `kennel`: the control service (`serve`) and its command-line client.
public struct KennelCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kennel",
        abstract: "Long-lived Linux system containers that ops treat as VMs.",
        subcommands: [ServeCommand.self, MachineCommand.self, ImageCommand.self, NodeCommand.self, PoolCommand.self, HostCommand.self, TopologyCommand.self, PlacementCommand.self, ServiceCommand.self]
    )

    public init() {}
}
