import Foundation
@testable import KennelGuest
import KennelModel
import KennelTesting
import Testing

@Suite("Guest identity files")
struct GuestFilesTests {
    private static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"

    private func machine() -> Machine {
        let ip: IPv4Address = TestSite.value("10.100.0.7")
        return Machine(
            name: TestSite.value("web-01"), uuid: UUID(uuidString: "6F1C2A34-5B6D-4E7F-8A9B-0C1D2E3F4A5B") ?? UUID(), state: .provisioning,
            spec: MachineSpec(cpus: .one, memory: .gibibytes(1), disk: .gibibytes(10), image: .defaultImage),
            host: TestSite.value("h1"),
            location: SiteLocation(idc: TestSite.value("dc1"), zone: TestSite.value("z1"), rack: TestSite.value("r1")),
            network: MachineNetwork(
                pool: TestSite.value("pool-a"), ip: ip, prefix: 24, gateway: TestSite.value("10.100.0.1"),
                vlan: TestSite.value("100"), mac: MACAddress(derivedFrom: ip)),
            service: nil, owner: nil, createdAt: Date(timeIntervalSince1970: 0)
        )
    }

    private func files(dns: [String] = ["10.0.0.53", "10.0.1.53"], search: String? = "dc1.example.com", keys: [String] = [key]) -> [String: GuestFile]
    {
        let identity = GuestIdentity(
            machine: machine(), dns: dns.map { TestSite.value($0) }, searchDomain: search.map { TestSite.value($0) },
            authorizedKeys: keys.map { TestSite.value($0) })
        return Dictionary(uniqueKeysWithValues: GuestFiles.render(identity).map { ($0.path, $0) })
    }

    @Test("hostname, hosts and machine-id carry the machine's name, address and UUID")
    func identity() {
        let files = files()
        #expect(files["/etc/hostname"]?.contents == "web-01\n")
        #expect(files["/etc/hosts"]?.contents.contains("10.100.0.7\tweb-01.dc1.example.com web-01\n") == true)
        #expect(files["/etc/machine-id"]?.contents == "6f1c2a345b6d4e7f8a9b0c1d2e3f4a5b\n")
        #expect(files["/etc/machine-id"]?.mode == 0o444)
    }

    @Test("the static network configuration matches the machine's lease")
    func network() {
        let files = files()
        #expect(
            files["/etc/network/interfaces"]?.contents.contains(
                "    address 10.100.0.7/24\n    gateway 10.100.0.1\n    hwaddress ether 52:54:0a:64:00:07\n") == true)
        #expect(
            files["/etc/kennel/network.env"]?.contents
                == "INTERFACE=eth0\nADDRESS=10.100.0.7/24\nGATEWAY=10.100.0.1\nMAC=52:54:0a:64:00:07\nVLAN=100\n")
    }

    @Test("resolv.conf takes the pool's DNS servers (at most 3) and search domain")
    func resolver() {
        #expect(
            files(dns: ["10.0.0.53", "10.0.1.53", "10.0.2.53", "10.0.3.53"])["/etc/resolv.conf"]?.contents
                == "# Written by Kennel from pool pool-a.\nsearch dc1.example.com\nnameserver 10.0.0.53\nnameserver 10.0.1.53\nnameserver 10.0.2.53\n"
        )
        #expect(
            files(dns: [], search: nil)["/etc/resolv.conf"]?.contents == "# Written by Kennel from pool pool-a.\n# The pool names no DNS servers.\n")
    }

    @Test("root's authorized keys are written 0600, and left out when there are none")
    func keys() {
        #expect(files()["/root/.ssh/authorized_keys"]?.contents == Self.key + "\n")
        #expect(files()["/root/.ssh/authorized_keys"]?.mode == 0o600)
        #expect(files(keys: [])["/root/.ssh/authorized_keys"] == nil)
    }
}

@Suite("SSH public keys")
struct SSHPublicKeyTests {
    @Test(
        "valid keys parse",
        arguments: [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop",
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ops key 2026",
        ])
    func valid(text: String) throws {
        #expect(try SSHPublicKey(parsing: text).description == text)
    }

    @Test(
        "options, other types, bad bodies and extra lines are refused",
        arguments: [
            "command=\"rm -rf /\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0",
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "ssh-ed25519 not*base64*at*all!!", "ssh-ed25519",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6 a\nssh-rsa AAAAB3NzaC1yc2EAAAADAQAB b", "",
        ])
    func invalid(text: String) {
        #expect(throws: InvalidValue.self) { try SSHPublicKey(parsing: text) }
    }
}

@Suite("Kennel's boot scripts in every machine")
struct GuestInitTests {
    @Test("kennel-init, kennel-sshd and kennel-network are executable shell scripts that sh accepts; init ends by becoming supervisord")
    func scripts() throws {
        #expect(GuestInit.files.map(\.path) == ["/usr/local/sbin/kennel-init", "/usr/local/sbin/kennel-sshd", "/usr/local/sbin/kennel-network"])
        for file in GuestInit.files {
            #expect(file.mode == 0o755 && file.contents.hasPrefix("#!/bin/sh\n"))
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/bin/sh")
            check.arguments = ["-n", "-c", file.contents]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "\(file.path) does not parse")
        }
        let lines = GuestInit.initScript.split(separator: "\n")
        #expect(lines.firstIndex { $0.hasPrefix("/usr/sbin/sshd") }! < lines.firstIndex { $0.hasPrefix("exec /usr/bin/supervisord") }!)
        #expect(lines.last?.hasPrefix("exec /usr/bin/supervisord --nodaemon") == true)
    }

    @Test("nothing inside changes the network: the host sets it, and the scripts never run ip to change an address or route")
    func noNetworkChanges() {
        for file in GuestInit.files {
            for verb in ["ip address replace", "ip address add", "ip address del", "ip route add", "ip route del", "ip link set"] {
                #expect(!file.contents.contains(verb), "\(file.path) runs \(verb)")
            }
        }
        #expect(!GuestInit.initScript.contains("kennel-network"))
    }
}
