import ArgumentParser
import KennelModel
import KennelWire

/// `kennel pool create NAME --cidr … --gateway … --vlan … --idc …`
struct PoolCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a pool.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "Subnet, e.g. 10.100.0.0/24.", transform: parsed(CIDR.self)) var cidr: CIDR
    @Option(help: "Default gateway.", transform: parsed(IPv4Address.self)) var gateway: IPv4Address
    @Option(help: "VLAN ID, 1–4094.", transform: parsed(VLANID.self)) var vlan: VLANID
    @Option(help: "IDC served.", transform: parsed(Hostname.self)) var idc: Hostname
    @OptionGroup var settings: PoolSettingsOptions

    func run() async throws {
        let form =
            [
                ("name", name.value), ("cidr", cidr.description), ("gateway", gateway.description),
                ("vlan", vlan.description), ("idc", idc.value),
            ] + settings.form
        try await options.print(PoolView.self, .POST, "/api/v1/pools", form: form, text: PoolText.details)
    }
}

/// `kennel pool update NAME [--ranges …] …`; an empty value clears a setting.
struct PoolUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a pool's zones, ranges, exclusions, DNS or quarantine.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname
    @OptionGroup var settings: PoolSettingsOptions

    func validate() throws {
        guard !settings.form.isEmpty else { throw ValidationError("give at least one setting to change") }
    }

    func run() async throws {
        try await options.print(PoolView.self, .PATCH, "/api/v1/pools/\(name)", form: settings.form, text: PoolText.details)
    }
}

/// `kennel pool delete NAME`
struct PoolDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a pool no machine uses.")

    @OptionGroup var options: APIOptions
    @Argument(help: "Pool name.", transform: parsed(Hostname.self)) var name: Hostname
    @Flag(help: "Delete it even though it keeps quarantined addresses for deleted machines.") var force = false

    func run() async throws {
        try await options.delete("/api/v1/pools/\(name)" + (force ? "?force=1" : ""), what: "pool \(name)")
    }
}
