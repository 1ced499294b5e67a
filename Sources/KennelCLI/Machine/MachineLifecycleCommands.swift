import ArgumentParser
import KennelModel
import KennelWire

/// `kennel machine start NAME`
struct MachineStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a stopped machine and wait for its sshd.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/start", machine: name, noWait: operation.noWait)
    }
}

/// `kennel machine stop NAME`
struct MachineStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Shut a machine down (gracefully, then hard) and keep it stopped.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/stop", machine: name, noWait: operation.noWait)
    }
}

/// `kennel machine restart NAME`
struct MachineRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Stop then start a machine, as a reboot.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/restart", machine: name, noWait: operation.noWait)
    }
}

struct MachineResize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize", abstract: "Grow a machine's disk online, shrink a stopped ext4 one, or change its disk IO limits live.",
        discussion: "kennel machine resize web-01 --disk 40G    (or --disk +10G; 0 lifts an IO limit)")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "New disk size (40G) or growth (+10G).", transform: parsed(DiskSizeChange.self)) var disk: DiskSizeChange?
    @Flag(help: "Accept an offline shrink of a stopped machine's ext4 disk (XFS never shrinks).") var allowShrink = false
    @OptionGroup var diskIO: DiskIOOptions

    func validate() throws {
        guard disk != nil || !diskIO.fields.isEmpty else { throw ValidationError("give --disk or a --disk-*-bps/--disk-*-iops limit") }
    }

    func run() async throws {
        var form: [(String, String)] = []
        if let disk { form.append(("disk", disk.description)) }
        if allowShrink { form.append(("allow_shrink", "1")) }
        try await options.followMachine(
            .POST, "/api/v1/machines/\(name)/resize", form: form + diskIO.fields, machine: name, noWait: operation.noWait)
    }
}

struct MachineLimits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits", abstract: "Change a machine's CPU, memory, bandwidth and disk IO limits while it runs.",
        discussion: "kennel machine limits web-01 --cpus 2 --memory 4G --egress 20M    (0 lifts an optional limit)")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "CPUs.") var cpus: String?
    @Option(help: "Memory (hard limit), e.g. 4G.") var memory: String?
    @Option(help: "Memory soft limit, e.g. 2G (0 lifts it).") var memorySoft: String?
    @Option(help: "Swap beyond memory, e.g. 1G (0 for none, unlimited to lift it).") var swap: String?
    @Option(help: "Traffic into the machine, e.g. 50M bit/s (0 lifts it).") var ingress: String?
    @Option(help: "Traffic out of the machine, e.g. 20M bit/s (0 lifts it).") var egress: String?
    @Flag(help: "Lower memory even below what the machine uses now (the kernel reclaims what it can).") var force = false
    @OptionGroup var diskIO: DiskIOOptions

    var fields: [(String, String)] {
        let limits = [("cpus", cpus), ("memory", memory), ("memory_soft", memorySoft), ("swap", swap), ("ingress", ingress), ("egress", egress)]
        return limits.compactMap { name, value in value.map { (name, $0) } } + diskIO.fields
    }

    func validate() throws {
        guard !fields.isEmpty else {
            throw ValidationError("give a limit: --cpus, --memory, --memory-soft, --swap, --ingress, --egress or a disk IO one")
        }
    }

    func run() async throws {
        try await options.followMachine(
            .POST, "/api/v1/machines/\(name)/limits", form: fields + (force ? [("force", "1")] : []), machine: name, noWait: operation.noWait)
    }
}

/// The disk IO limits, as resize and limits take them.
struct DiskIOOptions: ParsableArguments {
    @Option(help: "Read bytes per second, e.g. 50M.") var diskReadBps: String?
    @Option(help: "Write bytes per second, e.g. 20M.") var diskWriteBps: String?
    @Option(help: "Read operations per second.") var diskReadIops: String?
    @Option(help: "Write operations per second.") var diskWriteIops: String?

    /// The fields given, as the API names them.
    var fields: [(String, String)] {
        let limits = [
            ("disk_read_bps", diskReadBps), ("disk_write_bps", diskWriteBps), ("disk_read_iops", diskReadIops),
            ("disk_write_iops", diskWriteIops),
        ]
        return limits.compactMap { name, value in value.map { (name, $0) } }
    }
}
