import ArgumentParser
import KennelModel
import KennelWire

/// `kennel pool list`
struct PoolList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pools with their usage.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(KennelWire.PoolList.self, .GET, "/api/v1/pools") { PoolText.table($0.pools) }
    }
}

/// `kennel pool show NAME`
struct PoolShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a pool and a usage bar.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.print(PoolView.self, .GET, "/api/v1/pools/\(name)", text: PoolText.details)
    }
}

/// `kennel pool leases NAME`
struct PoolLeases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leases", abstract: "List every lease of a pool.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.print(LeaseList.self, .GET, "/api/v1/pools/\(name)/leases") { PoolText.leases($0.leases) }
    }
}
