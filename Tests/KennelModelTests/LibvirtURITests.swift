import Foundation
import KennelModel
import Testing

@Suite("Host URIs: an allow-list, not a libvirt passthrough")
struct LibvirtURITests {
    @Test(
        "accepted forms and what they parse into",
        arguments: [
            ("lxc:///system", LibvirtURI.Transport.local, nil, nil as String?, nil as Int?),
            ("lxc+ssh://root@h2.dc1/system", .ssh, "root", "h2.dc1", nil),
            ("lxc+ssh://h2/system", .ssh, nil, "h2", nil),
            ("lxc+ssh://kennel@10.0.0.2:2222/system?keyfile=/etc/kennel/id_ed25519&no_verify=1", .ssh, "kennel", "10.0.0.2", 2222),
            ("lxc+ssh://root@[2001:db8::1]:22/system", .ssh, "root", "[2001:db8::1]", 22),
            ("test:///var/lib/kennel/simulated-hosts/h1.xml", .test, nil, nil, nil),
        ])
    func accepted(text: String, transport: LibvirtURI.Transport, user: String?, host: String?, port: Int?) throws {
        let uri = try LibvirtURI(parsing: text)
        #expect(uri.value == text)
        #expect(uri.transport == transport)
        #expect(uri.user == user)
        #expect(uri.host == host)
        #expect(uri.port == port)
    }

    @Test(
        "refused forms: other transports, parameters that run or reach things, escapes, option-like hosts",
        arguments: [
            "lxc+ssh://root@127.0.0.1:1/system?command=/tmp/x.sh",
            "lxc+ssh://root@h/system?socket=/tmp/evil.sock",
            "lxc+ssh://root@h/system?netcat=/tmp/nc",
            "lxc+ssh://root@h/system?proxy=native",
            "lxc+ssh://root@h/system?mode=direct",
            "lxc+ssh://root@h/system?known_hosts=/etc/passwd",
            "lxc+ssh://root@h/system?keyfile=/k&keyfile=/j",
            "lxc+ssh://root@h/system?keyfile=../k",
            "lxc+ssh://root@h/system?keyfile=/a/../../etc/shadow",
            "lxc+ssh://root@h/system?no_verify=yes",
            "lxc+ssh://root@h/system?co%6dmand=/tmp/x.sh",
            "lxc+ssh://root@h/system?keyfile",
            "lxc+ssh://root@h/system#frag",
            "lxc+ssh://root@h/session",
            "lxc+ssh://root@h",
            "lxc+ssh://-oProxyCommand=x/system",
            "lxc+ssh://root@-oProxyCommand=x/system",
            "lxc+ssh://root:secret@h/system",
            "lxc+ssh://ro ot@h/system",
            "lxc+ssh://root@h:0/system",
            "lxc+ssh://root@h:99999/system",
            "lxc+ssh://root@h:22x/system",
            "lxc+ssh:///system",
            "lxc+ssh://root@h;id/system",
            "lxc+ssh://root@h/system?keyfile=/k$(id)",
            "lxc+tls://h2/system",
            "lxc+tcp://h2/system",
            "lxc+unix:///system?socket=/tmp/s",
            "lxc+ext:///system?command=/tmp/x.sh",
            "lxc+libssh2://root@h/system",
            "lxc+libssh://root@h/system",
            "qemu:///system",
            "qemu+ssh://root@h/system",
            "lxc:///session",
            "lxc://h2/system",
            "lxc:///system?socket=/tmp/s",
            "lxc:///",
            "test:///../etc/passwd",
            "test:///a/../../etc/passwd",
            "test://host/etc/passwd",
            "test:///x?a=b",
            "test:///",
            "LXC:///system",
            "lxc:///system\n",
            "lxc:///sys\u{00e9}tem",
            "",
            "not a uri",
            "/etc/passwd",
        ])
    func refused(text: String) {
        #expect(throws: InvalidValue.self) { try LibvirtURI(parsing: text) }
    }

    @Test("a URI of 513 characters is refused")
    func tooLong() {
        let text = "lxc+ssh://root@h/system?keyfile=/" + String(repeating: "k", count: 513 - 33)
        #expect(text.utf8.count == 513)
        #expect(throws: InvalidValue.self) { try LibvirtURI(parsing: text) }
    }

    @Test(
        "the policy: test URIs only on simulated sites, only for files in Kennel's directory",
        arguments: [
            (HostURIPolicy.realHostsOnly, "test:///data/simulated-hosts/h1.xml", false),
            (.realHostsOnly, "lxc:///system", true),
            (.realHostsOnly, "lxc+ssh://root@h/system", true),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///data/simulated-hosts/h1.xml", true),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///etc/passwd", false),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///default", false),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///data/simulated-hosts/sub/h1.xml", false),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///data/simulated-hosts/h1.txt", false),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "test:///data/simulated-hosts-2/h1.xml", false),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts/")), "test:///data/simulated-hosts/h1.xml", true),
            (HostURIPolicy(simulatedHosts: .filesIn(directory: "/data/simulated-hosts")), "lxc:///system", true),
        ])
    func policy(policy: HostURIPolicy, text: String, allowed: Bool) {
        #expect(((try? policy.uri(text)) != nil) == allowed)
    }

    @Test("refusals name what is wrong without repeating long input")
    func refusalText() {
        do {
            _ = try LibvirtURI(parsing: "lxc+ssh://root@h/system?command=/" + String(repeating: "x", count: 300))
            Issue.record("accepted")
        } catch {
            #expect(error.reason.contains("not allowed"))
            #expect(error.reason.count < 160)
        }
    }
}

@Suite("A host's URI is parsed once and kept typed")
struct HostURITests {
    @Test(
        "accepted URIs carry their transport; refused ones keep their text and the reason",
        arguments: [
            ("lxc:///system", LibvirtURI.Transport.local as LibvirtURI.Transport?, false),
            ("lxc+ssh://root@h1/system", .ssh, false), ("test:///tmp/h1.xml", .test, false),
            ("lxc+tls://h1/system", nil, true), ("lxc+ssh://root@h1/system?command=/bin/sh", nil, true), ("fake://h1", nil, true),
        ])
    func parsedOnce(text: String, transport: LibvirtURI.Transport?, refused: Bool) throws {
        let uri = HostURI(text)
        #expect(uri.text == text)
        #expect(uri.transport == transport)
        #expect((uri.refusal != nil) == refused)
        let decoded = try JSONDecoder().decode(HostURI.self, from: JSONEncoder().encode(uri))
        #expect(decoded == uri && decoded.transport == transport)
    }

    @Test("the policy refuses refused URIs and test URIs on real sites, naming why")
    func policy() {
        #expect(HostURIPolicy.realHostsOnly.refusal(of: HostURI("lxc:///system")) == nil)
        #expect(HostURIPolicy.realHostsOnly.refusal(of: HostURI("test:///tmp/h1.xml"))?.contains("simulated") == true)
        #expect(HostURIPolicy.realHostsOnly.refusal(of: HostURI("lxc+tls://h1/system")) != nil)
    }
}
