import Foundation
import ArgumentParser
import KennelModel
import KennelWire

/// `kennel machine create NAME --idc IDC …`
struct MachineCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a machine.")

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions

    @Argument(help: "Machine name (RFC 1123 label), also its hostname.", transform: parsed(Hostname.self))
    var name: Hostname

    @Option(help: "IDC to place it in.", transform: parsed(Hostname.self)) var idc: Hostname
    @Option(help: "Zone inside the IDC.", transform: parsed(Hostname.self)) var zone: Hostname?
    @Option(help: "Rack (default: any rack of the zone).", transform: parsed(Hostname.self)) var rack: Hostname?
    @Option(help: "CPUs (default 1).", transform: parsed(CPUCount.self)) var cpus: CPUCount?
    @Option(help: "Memory, e.g. 4G (default 1G).", transform: parsed(ByteSize.self)) var memory: ByteSize?
    @Option(help: "Disk, e.g. 20G (default 10G).", transform: parsed(ByteSize.self)) var disk: ByteSize?
    @Option(help: "Image (default debian-12).", transform: parsed(ImageName.self)) var image: ImageName?
    @Option(help: "Root filesystem: xfs (default; never shrinks) or ext4 (shrinks offline).", transform: parsed(FilesystemKind.self))
    var filesystem: FilesystemKind?
    @Option(help: "Service (spread group).", transform: parsed(Label.self)) var service: Label?
    @Option(help: "Owner: a free label (person, cost centre).", transform: parsed(Label.self)) var owner: Label?
    @Option(help: "Team it belongs to (default: your only team).", transform: parsed(Hostname.self)) var team: Hostname?
    @Option(help: "Address pool.", transform: parsed(Hostname.self)) var pool: Hostname?
    @Option(help: "A specific IPv4 address.", transform: parsed(IPv4Address.self)) var ip: IPv4Address?
    @Option(help: "Inbound bandwidth limit, e.g. 100M.", transform: parsed(Bandwidth.self)) var ingress: Bandwidth?
    @Option(help: "Outbound bandwidth limit, e.g. 100M.", transform: parsed(Bandwidth.self)) var egress: Bandwidth?
    @Option(help: "A specific MAC (not 52:54:…).", transform: parsed(MACAddress.self)) var mac: MACAddress?
    @Option(help: "best-effort (default) or strict rack spread.", transform: parsed(SpreadMode.self)) var spread: SpreadMode?
    @Option(name: .customLong("host-class"), help: "Required host class.", transform: parsed(Label.self)) var hostClass: Label?
    @Option(name: .customLong("host-labels"), help: "Required host labels, comma-separated.", transform: parsed(CommaList<Label>.self))
    var hostLabels: CommaList<Label>?
    @Option(
        name: .customLong("ssh-key"),
        help: ArgumentHelp(
            "A key root may log in with: the key line, or @FILE for a .pub file (repeatable).", valueName: "key|@file"),
        transform: sshKey)
    var sshKeys: [SSHPublicKey] = []

    /// The form fields this invocation sends, in a stable order.
    var form: [(String, String)] {
        let optional: [(String, (any CustomStringConvertible)?)] = [
            ("zone", zone), ("rack", rack), ("cpus", cpus), ("memory", memory), ("disk", disk), ("image", image), ("filesystem", filesystem),
            ("service", service), ("owner", owner), ("team", team), ("pool", pool), ("ip", ip), ("ingress", ingress), ("egress", egress),
            ("mac", mac), ("spread", spread), ("host_class", hostClass), ("host_labels", hostLabels),
        ]
        return [("name", name.value), ("idc", idc.value)] + optional.compactMap { key, value in value.map { (key, $0.description) } }
            + sshKeys.map { ("ssh_key", $0.description) }
    }

    func run() async throws {
        try await options.followMachine(.POST, "/api/v1/machines", form: form, machine: name, noWait: operation.noWait)
    }
}

/// Parses `--ssh-key`: a public key line, or `@FILE` naming a `.pub` file.
func sshKey(_ text: String) throws -> SSHPublicKey {
    guard text.hasPrefix("@") else { return try parsed(SSHPublicKey.self)(text) }
    let path = String(text.dropFirst())
    guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw ValidationError("--ssh-key: cannot read \(path)")
    }
    return try parsed(SSHPublicKey.self)(contents.trimmingCharacters(in: .whitespacesAndNewlines))
}
