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

    @Test("a bastion that is not [USER@]HOST[:PORT] is refused", arguments: ["", "a:b", "host name", "a:1:2", #"x"y"#])
    func badBastion(bastion: String) {
        #expect(throws: (any Error).self) {
            try SSHConfig.render(machines: [], bastion: bastion, knownHosts: "k", bastionKnownHosts: "b", identity: nil)
        }
    }
}

@Suite("kennel ssh NAME")
struct SSHConnectTests {
    @Test("kennel ssh NAME -- command runs connect: the machine's key checked strictly under its name, only the given identity, through the bastion")
    func arguments() throws {
        let parsed = try KennelCommand.parseAsRoot(["ssh", "web-01", "--bastion", "jump@b", "--", "uptime", "-p"])
        let connect = try #require(parsed as? SSHConnect)
        #expect(connect.name.value == "web-01" && connect.command == ["uptime", "-p"] && connect.bastion == "jump@b")
        #expect(
            SSHConnect.arguments(machine: "web-01", ip: "10.100.0.2", bastion: "jump@b", identity: "/k/id", knownHosts: "/k/kh", command: ["uptime"])
                == [
                    "-i", "/k/id", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=/k/kh", "-o", "StrictHostKeyChecking=yes", "-o",
                    "HostKeyAlias=web-01", "-J", "jump@b", "root@10.100.0.2", "--", "uptime",
                ])
    }

    @Test("a certificate that is missing or unreadable is not fresh")
    func freshness() async throws {
        #expect(try await !SSHConnect.isFresh("/nonexistent/id_ed25519-cert.pub"))
    }
}
