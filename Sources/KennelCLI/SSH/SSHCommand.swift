import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel ssh`: users' SSH keys.
struct SSHCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh", abstract: "SSH access to machines: your keys, their pinned host keys.",
        subcommands: [SSHConnect.self, SSHKeyCommand.self, SSHKnownHosts.self, SSHLogin.self, SSHConfig.self],
        defaultSubcommand: SSHConnect.self)
}

/// `kennel ssh key add|list|remove`.
struct SSHKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Register, list and remove SSH public keys (yours, or a user's for admins).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a public key: it opens your teams' machines within seconds.",
            discussion: "kennel ssh key add ~/.ssh/id_ed25519.pub    (- reads the key from standard input)")
        @OptionGroup var options: APIOptions
        @Argument(help: "The public key file (.pub), or - for standard input.") var file: String
        @Option(help: "For another user (admins).", transform: parsed(Hostname.self)) var user: Hostname?

        func run() async throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
                text = String(decoding: contents, as: UTF8.self)
            }
            let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let owner = try await options.userOrSelf(user)
            try await options.print(SSHKeyView.self, .POST, "/api/v1/users/\(owner)/keys", form: [("key", line)]) { key in
                "registered \(key.type) key \(key.fingerprint) (\(key.bits) bits) for \(key.user)\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered keys with their fingerprints.")
        @OptionGroup var options: APIOptions
        @Option(help: "Another user's keys (admins).", transform: parsed(Hostname.self)) var user: Hostname?

        func run() async throws {
            let owner = try await options.userOrSelf(user)
            try await options.print(SSHKeyList.self, .GET, "/api/v1/users/\(owner)/keys") { list in
                TextTable.render(
                    headers: ["FINGERPRINT", "TYPE", "BITS", "COMMENT", "ADDED"],
                    rows: list.keys.map { [$0.fingerprint, $0.type, "\($0.bits)", $0.comment ?? "-", $0.createdAt.formatted(.iso8601)] })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a key: your teams' machines stop accepting it within seconds.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Its fingerprint (SHA256:…, as kennel ssh key list shows it).", transform: parsed(KeyFingerprint.self))
        var fingerprint: KeyFingerprint
        @Option(help: "Another user's key (admins).", transform: parsed(Hostname.self)) var user: Hostname?

        func run() async throws {
            let owner = try await options.userOrSelf(user)
            let query = fingerprint.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? fingerprint.value
            try APIClient.check(try await options.client.send(.DELETE, "/api/v1/users/\(owner)/keys?fingerprint=\(query)"))
            print(options.json ? #"{"removed":"\#(fingerprint.value)"}"# : "removed \(fingerprint.value) of \(owner)")
        }
    }
}

extension APIOptions {
    /// `user`, or the caller as the API knows them.
    func userOrSelf(_ user: Hostname?) async throws -> Hostname {
        if let user { return user }
        let (me, _) = try await client.decode(UserView.self, .GET, "/api/v1/whoami")
        return try Hostname(parsing: me.name)
    }
}

/// `kennel ssh known-hosts`: the machines' pinned host keys.
struct SSHKnownHosts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "known-hosts", abstract: "Print the host keys of the machines you may see, as known_hosts lines.",
        discussion: "kennel ssh known-hosts > ~/.ssh/kennel_known_hosts    (then ssh -o UserKnownHostsFile=~/.ssh/kennel_known_hosts …)")
    @OptionGroup var options: APIOptions

    func run() async throws {
        let answer = try await options.client.send(.GET, "/api/v1/known_hosts")
        try APIClient.check(answer)
        try TextAsJSON.print(String(decoding: answer.body, as: UTF8.self), key: "known_hosts", json: options.json)
    }
}

/// `kennel ssh login`: a fresh certificate for your key, saved where ssh looks for it.
struct SSHLogin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Get a short-lived SSH certificate for your key, saved beside it as KEY-cert.pub.",
        discussion: "kennel ssh login --key ~/.ssh/id_ed25519.pub    (ssh then offers the certificate with that key)")
    @OptionGroup var options: APIOptions
    @Option(help: "Your public key file.") var key: String = NSHomeDirectory() + "/.ssh/id_ed25519.pub"
    @Option(help: "How long it stays valid, e.g. 8h (at most 1d, never past your token).") var validity: String?

    func run() async throws {
        let (certificate, body, path) = try await Self.fetch(for: key, validity: validity, options: options)
        if options.json {
            print(String(decoding: body, as: UTF8.self))
        } else {
            print(
                "certificate \(certificate.keyID) for \(certificate.principals.joined(separator: ",")) until \(certificate.validBefore.formatted(.iso8601)): \(path)"
            )
        }
    }

    /// Asks for a certificate of the public key `key` and writes it beside it as
    /// `KEY-cert.pub`; answers it, the API's body and where it went.
    static func fetch(for key: String, validity: String?, options: APIOptions) async throws -> (SSHCertificateView, Data, String) {
        guard key.hasSuffix(".pub"), let contents = FileManager.default.contents(atPath: key) else {
            throw ValidationError("cannot read the public key \(key) (a .pub file)")
        }
        var form = [("public_key", String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))]
        if let validity { form.append(("validity", validity)) }
        let (certificate, body) = try await options.client.decode(SSHCertificateView.self, .POST, "/api/v1/ssh/certificates", form: form)
        let path = String(key.dropLast(".pub".count)) + "-cert.pub"
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((certificate.certificate + "\n").utf8), attributes: [.posixPermissions: 0o644])
        else { throw ValidationError("cannot write \(path)") }
        return (certificate, body, path)
    }
}

/// `kennel ssh config`: an ssh_config with a Host per machine the caller may reach (those
/// `known_hosts` gives them: their teams' and their grants'), through the bastion.
struct SSHConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Write an ssh_config with a Host per machine you may reach, through the bastion, host keys pinned.",
        discussion: """
            kennel ssh config --bastion jump@bastion.example.com --output ~/.ssh/kennel.config    (then: ssh -F ~/.ssh/kennel.config web-01)
            The machines' host keys are written to --known-hosts and checked strictly; nobody answers a trust-on-first-use prompt.
            """)
    @OptionGroup var options: APIOptions
    @Option(help: "The bastion: [USER@]HOST[:PORT].") var bastion: String
    @Option(help: "Where the machines' host keys go (written now).") var knownHosts: String = NSHomeDirectory() + "/.ssh/kennel_known_hosts"
    @Option(help: "The known_hosts file that holds the bastion's own host key.")
    var bastionKnownHosts: String = NSHomeDirectory() + "/.ssh/known_hosts"
    @Option(help: "Your private key (its KEY-cert.pub, from kennel ssh login, is offered with it).") var identity: String?
    @Option(help: "Write the config here instead of standard output.") var output: String?

    func run() async throws {
        let hosts = try await options.client.send(.GET, "/api/v1/known_hosts")
        try APIClient.check(hosts)
        guard FileManager.default.createFile(atPath: knownHosts, contents: hosts.body, attributes: [.posixPermissions: 0o644]) else {
            throw ValidationError("cannot write \(knownHosts)")
        }
        let machines = Self.machines(inKnownHosts: hosts.body)
        let text = try Self.render(
            machines: machines, bastion: bastion, knownHosts: knownHosts, bastionKnownHosts: bastionKnownHosts,
            identity: identity)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(output)")
            }
            print("wrote \(output): \(machines.count) machines through \(bastion); host keys in \(knownHosts)")
        } else {
            print(text, terminator: "")
        }
    }

    /// The machines of `known_hosts` lines as Kennel writes them (`NAME,IP TYPE KEY`), each
    /// once, in order.
    static func machines(inKnownHosts data: Data) -> [(name: String, ip: String)] {
        var seen: Set<String> = []
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let hosts = line.split(separator: " ").first else { return nil }
            let parts = hosts.split(separator: ",")
            guard parts.count == 2, seen.insert(String(parts[0])).inserted else { return nil }
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// The config: the bastion as `kennel-bastion`, then one Host per machine.
    static func render(
        machines: [(name: String, ip: String)], bastion: String, knownHosts: String, bastionKnownHosts: String, identity: String?
    ) throws -> String {
        let (user, rest) =
            bastion.contains("@") ? (String(bastion.split(separator: "@")[0]), String(bastion.split(separator: "@")[1])) : (nil, bastion)
        let parts = rest.split(separator: ":")
        guard let host = parts.first, parts.count <= 2, !host.isEmpty, parts.count == 1 || Int(parts[1]) != nil,
            !bastion.contains(where: { $0.isWhitespace || $0 == "\"" })
        else { throw ValidationError("--bastion: give [USER@]HOST[:PORT]") }
        var identityLines: [String] = []
        if let identity { identityLines = ["    IdentityFile \(identity)", "    IdentitiesOnly yes"] }
        var lines = ["# Written by kennel ssh config: one Host per machine you may see, reached through the bastion.", "Host kennel-bastion"]
        lines.append("    HostName \(host)")
        if let user { lines.append("    User \(user)") }
        if parts.count == 2 { lines.append("    Port \(parts[1])") }
        lines += ["    UserKnownHostsFile \(bastionKnownHosts)", "    StrictHostKeyChecking yes"] + identityLines
        for machine in machines.sorted(by: { $0.name < $1.name }) {
            lines +=
                [
                    "Host \(machine.name)", "    HostName \(machine.ip)", "    User root", "    ProxyJump kennel-bastion",
                    "    HostKeyAlias \(machine.name)",
                    "    UserKnownHostsFile \(knownHosts)", "    StrictHostKeyChecking yes",
                ] + identityLines
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
