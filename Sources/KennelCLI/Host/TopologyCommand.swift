import ArgumentParser
import KennelModel
import KennelWire

/// `kennel topology …`: IDCs, zones and racks.
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology", abstract: "Show the site topology; add IDCs, zones and racks.",
        subcommands: [TopologyShow.self, TopologyAddIDC.self, TopologyAddZone.self, TopologyAddRack.self]
    )
}

extension TopologyView {
    /// One line per IDC, one indented line per zone with its racks.
    var text: String {
        idcs.flatMap { idc in
            [idc.name] + idc.zones.map { "  \($0.name): " + ($0.racks.isEmpty ? "no racks" : $0.racks.joined(separator: " ")) }
        }.joined(separator: "\n") + "\n"
    }
}

struct TopologyShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show IDCs, their zones and racks.")
    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(TopologyView.self, .GET, "/api/v1/topology") { $0.text }
    }
}

struct TopologyAddIDC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-idc", abstract: "Add an IDC.")
    @OptionGroup var options: APIOptions
    @Argument(help: "IDC name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try APIClient.check(try await options.client.send(.POST, "/api/v1/idcs", form: [("name", name.value)]))
        print("added IDC \(name)")
    }
}

struct TopologyAddZone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-zone", abstract: "Add a zone to an IDC.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Zone name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "IDC.", transform: parsed(Hostname.self)) var idc: Hostname

    func run() async throws {
        try APIClient.check(try await options.client.send(.POST, "/api/v1/zones", form: [("idc", idc.value), ("name", name.value)]))
        print("added zone \(idc)/\(name)")
    }
}

struct TopologyAddRack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-rack", abstract: "Add a rack to a zone.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Rack name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "IDC.", transform: parsed(Hostname.self)) var idc: Hostname
    @Option(help: "Zone.", transform: parsed(Hostname.self)) var zone: Hostname

    func run() async throws {
        try APIClient.check(
            try await options.client.send(.POST, "/api/v1/racks", form: [("idc", idc.value), ("zone", zone.value), ("name", name.value)]))
        print("added rack \(idc)/\(zone)/\(name)")
    }
}
