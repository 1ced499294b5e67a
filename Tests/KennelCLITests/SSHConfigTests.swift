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
