import ArgumentParser
import KennelModel
import KennelWire

/// `kennel host …`: the host inventory.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "List, show, add, update, drain and remove hosts.",
        subcommands: [HostList.self, HostShow.self, HostAdd.self, HostUpdate.self, HostDrain.self, HostDelete.self, HostPrepare.self]
    )
}

/// Host settings given as options, sent as form fields.
struct HostSettingsOptions: ParsableArguments {
    @Option(help: "libvirt URI, e.g. lxc:///system or lxc+ssh://root@h1/system.") var uri: String?
    @Option(help: "active, draining, maintenance or down.") var state: String?
    @Option(help: "CPUs.") var cpus: String?
    @Option(help: "Memory, e.g. 256G.") var memory: String?
    @Option(help: "Disk, e.g. 4T.") var disk: String?
    @Option(name: .customLong("cpu-overcommit"), help: "CPU overcommit ratio (default 4.0).") var cpuOvercommit: String?
    @Option(name: .customLong("memory-overcommit"), help: "Memory overcommit ratio (default 1.0).") var memoryOvercommit: String?
    @Option(name: .customLong("disk-overcommit"), help: "Disk overcommit ratio (default 1.0).") var diskOvercommit: String?
    @Option(name: .customLong("bandwidth-overcommit"), help: "Bandwidth overcommit ratio: limits may add up to bandwidth × this (default 1.0).")
    var bandwidthOvercommit: String?
    @Option(help: "Open vSwitch bridge (default br0).") var bridge: String?
    @Option(help: "VLANs the bridge trunks, comma-separated.") var vlans: String?
    @Option(help: "NIC capacity per direction, e.g. 10G.") var bandwidth: String?
    @Option(name: .customLong("class"), help: "Host class, e.g. general or highmem.") var hostClass: String?
    @Option(help: "Labels, comma-separated.") var labels: String?
    @Option(help: "Where machines' root volumes live: loopfile, loopfile:/DIR, lvm:VG or lvm:VG/THINPOOL.") var volumes: String?

    var form: [(String, String)] {
        [
            ("uri", uri), ("state", state), ("cpus", cpus), ("memory", memory), ("disk", disk), ("cpu_overcommit", cpuOvercommit),
            ("memory_overcommit", memoryOvercommit), ("disk_overcommit", diskOvercommit),
            ("bandwidth_overcommit", bandwidthOvercommit), ("bridge", bridge), ("vlans", vlans),
            ("bandwidth", bandwidth), ("class", hostClass), ("labels", labels), ("volumes", volumes),
        ]
        .compactMap { key, value in value.map { (key, $0) } }
    }
}

struct HostList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List hosts with their usage.")
    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(KennelWire.HostList.self, .GET, "/api/v1/hosts") { HostText.table($0.hosts) }
    }
}

struct HostShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one host.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Host name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.print(HostView.self, .GET, "/api/v1/hosts/\(name)", text: HostText.details)
    }
}

struct HostAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a host to an existing rack.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Host name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "IDC.", transform: parsed(Hostname.self)) var idc: Hostname
    @Option(help: "Zone.", transform: parsed(Hostname.self)) var zone: Hostname
    @Option(help: "Rack.", transform: parsed(Hostname.self)) var rack: Hostname
    @OptionGroup var settings: HostSettingsOptions

    func run() async throws {
        let form = [("name", name.value), ("idc", idc.value), ("zone", zone.value), ("rack", rack.value)] + settings.form
        try await options.print(HostView.self, .POST, "/api/v1/hosts", form: form, text: HostText.details)
    }
}

struct HostUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a host's settings.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Host name.", transform: parsed(Hostname.self)) var name: Hostname
    @OptionGroup var settings: HostSettingsOptions
    @Flag(help: "On a host being drained: apply a change even though its machines exceed it.") var force = false

    func validate() throws {
        guard !settings.form.isEmpty else { throw ValidationError("give at least one setting to change") }
    }

    func run() async throws {
        let form = settings.form + (force ? [("force", "1")] : [])
        try await options.print(HostView.self, .PATCH, "/api/v1/hosts/\(name)", form: form, text: HostText.details)
    }
}

struct HostDrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drain", abstract: "Stop placing new machines on a host; its machines stay.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Host name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.print(HostView.self, .PATCH, "/api/v1/hosts/\(name)", form: [("state", "draining")], text: HostText.details)
    }
}

struct HostDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a host that carries no machines.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Host name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.delete("/api/v1/hosts/\(name)", what: "host \(name)")
    }
}
