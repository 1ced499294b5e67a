import ArgumentParser
import Foundation
import KennelHost
import KennelModel
import KennelWire

/// `kennel ssh NAME [-- command]` (also `kennel ssh connect NAME`): a fresh certificate if
/// the one beside the key is missing or ends within ten minutes, the machines' host keys
/// pinned, then the system `ssh` through the bastion, its exit status passed on. ssh gets
/// a one-machine config like `kennel ssh config` writes (ssh's own `-J` would ignore the
/// identity and known_hosts given on its command line for the bastion itself).
struct SSHConnect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect", abstract: "Log in to a machine through the bastion (kennel ssh NAME [-- command]).",
        discussion: "kennel ssh web-01 --bastion jump@bastion.example.com -- uptime    (or set KENNEL_BASTION)")
    @OptionGroup var options: APIOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "The bastion, [USER@]HOST[:PORT] (default: KENNEL_BASTION).") var bastion: String?
    @Option(help: "Your public key file; its private key and certificate lie beside it.")
    var key: String = NSHomeDirectory() + "/.ssh/id_ed25519.pub"
    @Option(help: "Where the machines' host keys go.") var knownHosts: String = NSHomeDirectory() + "/.ssh/kennel_known_hosts"
    @Option(help: "The known_hosts file that holds the bastion's own host key.")
    var bastionKnownHosts: String = NSHomeDirectory() + "/.ssh/known_hosts"
    @Argument(parsing: .postTerminator, help: "A command to run instead of a shell.") var command: [String] = []

    func run() async throws {
        guard let bastion = bastion ?? ProcessInfo.processInfo.environment["KENNEL_BASTION"], !bastion.isEmpty else {
            throw ValidationError("give --bastion [USER@]HOST[:PORT] or set KENNEL_BASTION")
        }
        guard key.hasSuffix(".pub") else { throw ValidationError("--key: give the public key file (KEY.pub)") }
        let identity = String(key.dropLast(".pub".count))
        let hosts = try await options.client.send(.GET, "/api/v1/known_hosts")
        try APIClient.check(hosts)
        guard let machine = SSHConfig.machines(inKnownHosts: hosts.body).first(where: { $0.name == name.value }) else {
            throw ValidationError("machine \(name) is not one you may reach (your teams' and your grants'), or its host keys are not known yet")
        }
        guard FileManager.default.createFile(atPath: knownHosts, contents: hosts.body, attributes: [.posixPermissions: 0o644]) else {
            throw ValidationError("cannot write \(knownHosts)")
        }
        if try await !Self.isFresh(identity + "-cert.pub") { _ = try await SSHLogin.fetch(for: key, validity: nil, options: options) }
        let config = try SSHConfig.render(
            machines: [(name.value, machine.ip)], bastion: bastion, knownHosts: knownHosts, bastionKnownHosts: bastionKnownHosts,
            identity: identity)
        let configFile = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-ssh-\(UUID().uuidString).config").path
        guard FileManager.default.createFile(atPath: configFile, contents: Data(config.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(configFile)")
        }
        defer { try? FileManager.default.removeItem(atPath: configFile) }
        let status = try Self.runSSH(Self.arguments(machine: name.value, config: configFile, command: command))
        guard status == 0 else { throw ExitCode(status) }
    }

    /// ssh's arguments: the one-machine config, the machine by name, the command if any.
    static func arguments(machine: String, config: String, command: [String]) -> [String] {
        ["-F", config, machine] + (command.isEmpty ? [] : ["--"] + command)
    }

    /// Whether the certificate at `path` is valid for ten minutes more (`ssh-keygen -L`).
    static func isFresh(_ path: String) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let listing = (try? await LocalCommandRunner().run("ssh-keygen", ["-L", "-f", path])) ?? ""
        guard let line = listing.split(separator: "\n").first(where: { $0.contains("Valid: from ") }),
            let end = line.components(separatedBy: " to ").last
        else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        guard let until = formatter.date(from: end.trimmingCharacters(in: .whitespaces)) else { return false }
        return until.timeIntervalSinceNow > 600
    }

    /// Runs the system ssh on this terminal and answers its exit status.
    private static func runSSH(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ssh"] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
