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
    @Option(help: "Read bytes per second, e.g. 50M.") var diskReadBps: String?
    @Option(help: "Write bytes per second, e.g. 20M.") var diskWriteBps: String?
    @Option(help: "Read operations per second.") var diskReadIops: String?
    @Option(help: "Write operations per second.") var diskWriteIops: String?

    func validate() throws {
        guard disk != nil || [diskReadBps, diskWriteBps, diskReadIops, diskWriteIops].contains(where: { $0 != nil }) else {
            throw ValidationError("give --disk or a --disk-*-bps/--disk-*-iops limit")
        }
    }

    func run() async throws {
        var form: [(String, String)] = []
        if let disk { form.append(("disk", disk.description)) }
        if allowShrink { form.append(("allow_shrink", "1")) }
        let limits = [
            ("disk_read_bps", diskReadBps), ("disk_write_bps", diskWriteBps), ("disk_read_iops", diskReadIops),
            ("disk_write_iops", diskWriteIops),
        ]
        form += limits.compactMap { name, value in value.map { (name, $0) } }
        try await options.followMachine(.POST, "/api/v1/machines/\(name)/resize", form: form, machine: name, noWait: operation.noWait)
    }
}
