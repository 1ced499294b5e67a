import Foundation
import KennelHost
@testable import KennelCLI
import Testing

@Suite("kennel ssh config")
struct SSHConfigTests {
    @Test("golden: the bastion, then a Host per machine through it, host keys pinned by name")
    func golden() throws {
        let text = try SSHConfig.render(
            machines: [("web-02", "10.100.0.3"), ("web-01", "10.100.0.2")], bastion: "jump@bastion.example.com:2222",
            knownHosts: "/home/a/.ssh/kennel_known_hosts", bastionKnownHosts: "/home/a/.ssh/known_hosts", identity: nil)
        #expect(
            text == """
                # Written by kennel ssh config: one Host per machine you may see, reached through the bastion.
                Host kennel-bastion
                    HostName bastion.example.com
                    User jump
                    Port 2222
                    UserKnownHostsFile /home/a/.ssh/known_hosts
                    StrictHostKeyChecking yes
                Host web-01
                    HostName 10.100.0.2
                    User root
                    ProxyJump kennel-bastion
                    HostKeyAlias web-01
                    UserKnownHostsFile /home/a/.ssh/kennel_known_hosts
                    StrictHostKeyChecking yes
                Host web-02
                    HostName 10.100.0.3
                    User root
                    ProxyJump kennel-bastion
                    HostKeyAlias web-02
                    UserKnownHostsFile /home/a/.ssh/kennel_known_hosts
                    StrictHostKeyChecking yes

                """)
    }

    @Test("the machines of Kennel's known_hosts lines, each once, in order")
    func machinesOfKnownHosts() {
        let text = "web-01,10.100.0.2 ssh-ed25519 AAAA\nweb-01,10.100.0.2 ecdsa-sha2-nistp256 AAAB\ndb-01,10.100.0.3 ssh-ed25519 AAAC\n\nbad\n"
        let machines = SSHConfig.machines(inKnownHosts: Data(text.utf8))
        #expect(machines.map(\.name) == ["web-01", "db-01"] && machines.map(\.ip) == ["10.100.0.2", "10.100.0.3"])
    }

    @Test("a bastion that is not [USER@]HOST[:PORT] is refused", arguments: ["", "a:b", "host name", "a:1:2", #"x"y"#])
    func badBastion(bastion: String) {
        #expect(throws: (any Error).self) {
            try SSHConfig.render(machines: [], bastion: bastion, knownHosts: "k", bastionKnownHosts: "b", identity: nil)
        }
    }
}

@Suite("kennel ssh NAME")
struct SSHConnectTests {
    @Test("kennel ssh NAME -- command runs connect: ssh with a one-machine config (bastion and machine keys pinned), the machine by name")
    func arguments() throws {
        let parsed = try KennelCommand.parseAsRoot(["ssh", "web-01", "--bastion", "jump@b", "--", "uptime", "-p"])
        let connect = try #require(parsed as? SSHConnect)
        #expect(connect.name.value == "web-01" && connect.command == ["uptime", "-p"] && connect.bastion == "jump@b")
        #expect(SSHConnect.arguments(machine: "web-01", config: "/tmp/c", command: ["uptime"]) == ["-F", "/tmp/c", "web-01", "--", "uptime"])
        #expect(SSHConnect.arguments(machine: "web-01", config: "/tmp/c", command: []) == ["-F", "/tmp/c", "web-01"])
        #expect(throws: (any Error).self) { try KennelCommand.parseAsRoot(["ssh", "Web 01"]) }
    }

    @Test("a certificate that is missing or unreadable is not fresh")
    func freshness() async throws {
        #expect(try await !SSHConnect.isFresh("/nonexistent/id_ed25519-cert.pub"))
    }

    @Test("a certificate is fresh while it has more than ten minutes left (read with ssh-keygen -L)", arguments: [("+1h", true), ("+5m", false)])
    func freshCertificate(validity: String, fresh: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-fresh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, comment) in [("ca", "ca"), ("id", "user")] {
            _ = try await LocalCommandRunner().run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", "\(directory)/\(name)"])
        }
        _ = try await LocalCommandRunner().run(
            "ssh-keygen", ["-q", "-s", "\(directory)/ca", "-I", "t", "-n", "user:t", "-V", validity, "\(directory)/id.pub"])
        #expect(try await SSHConnect.isFresh("\(directory)/id-cert.pub") == fresh)
    }
}
