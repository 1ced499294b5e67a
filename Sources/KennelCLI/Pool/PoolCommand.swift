import ArgumentParser

/// `kennel pool …`: manage address pools through the API.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Create, list, show, update and delete address pools; list their leases.",
        subcommands: [PoolCreate.self, PoolList.self, PoolShow.self, PoolUpdate.self, PoolDelete.self, PoolLeases.self]
    )
}

/// The pool settings an update may change; shared by create and update.
struct PoolSettingsOptions: ParsableArguments {
    @Option(help: "Zones served, comma-separated (default: every zone of the IDC).") var zones: String?
    @Option(help: "Allocatable ranges, e.g. 10.0.0.10-10.0.0.200,10.0.0.220-10.0.0.250.") var ranges: String?
    @Option(help: "Addresses never handed out, e.g. 10.0.0.5,10.0.0.100-10.0.0.110.") var exclude: String?
    @Option(help: "DNS servers, comma-separated.") var dns: String?
    @Option(help: "Search domain.") var searchDomain: String?
    @Option(help: "How long released addresses rest, e.g. 24h, 30m, 0.") var quarantine: String?

    var form: [(String, String)] {
        [("zones", zones), ("ranges", ranges), ("exclude", exclude), ("dns", dns), ("search_domain", searchDomain), ("quarantine", quarantine)]
            .compactMap { key, value in value.map { (key, $0) } }
    }
}
