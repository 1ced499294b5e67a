import ArgumentParser
import KennelModel
import KennelServer

/// `kennel pool list`
struct PoolList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pools with their usage.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        let (list, body) = try await options.client.decode(KennelServer.PoolList.self, .GET, "/api/v1/pools")
        print(options.json ? String(decoding: body, as: UTF8.self) : PoolText.table(list.pools), terminator: "")
    }
}

/// `kennel pool show NAME`
struct PoolShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a pool and a usage bar.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        let (pool, body) = try await options.client.decode(PoolView.self, .GET, "/api/v1/pools/\(name)")
        print(options.json ? String(decoding: body, as: UTF8.self) : PoolText.details(pool), terminator: "")
    }
}

/// `kennel pool leases NAME`
struct PoolLeases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leases", abstract: "List every lease of a pool.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        let (list, body) = try await options.client.decode(LeaseList.self, .GET, "/api/v1/pools/\(name)/leases")
        print(options.json ? String(decoding: body, as: UTF8.self) : PoolText.leases(list.leases), terminator: "")
    }
}
