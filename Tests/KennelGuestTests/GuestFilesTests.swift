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

    @Test("Kennel's key list is its own file (root's ~/.ssh stays the guest's), read by sshd through a drop-in, written even when empty")
    func keys() {
        let list = "# Written by Kennel: its users' keys and the machine request's. Changes are overwritten.\n"
        #expect(files()["/etc/ssh/kennel/authorized_keys"]?.contents == list + Self.key + "\n")
        #expect(files()["/etc/ssh/kennel/authorized_keys"]?.mode == 0o644, "sshd's StrictModes wants it root's and not writable by others")
        #expect(files(keys: [])["/etc/ssh/kennel/authorized_keys"]?.contents == list)
        #expect(files()["/root/.ssh/authorized_keys"] == nil)
        #expect(
            files()["/etc/ssh/sshd_config.d/kennel-access.conf"]?.contents.contains(
                "AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/kennel/authorized_keys\n") == true)
    }

    @Test("with a CA, sshd trusts it for the principals listed; without one, no certificate line at all")
    func certificates() throws {
        let ca = try SSHPublicKey(parsing: TestKeys.ed25519)
        let files = Dictionary(
            uniqueKeysWithValues: GuestFiles.access(authorizedKeys: [], principals: ["user:alice", "user:bob"], userCA: ca).map { ($0.path, $0) })
        let config = try #require(files["/etc/ssh/sshd_config.d/kennel-access.conf"]).contents
        #expect(
            config.contains("TrustedUserCAKeys /etc/ssh/kennel/user_ca.pub\n")
                && config.contains("AuthorizedPrincipalsFile /etc/ssh/kennel/principals\n"))
        #expect(files["/etc/ssh/kennel/principals"]?.contents == "user:alice\nuser:bob\n")
        #expect(files["/etc/ssh/kennel/user_ca.pub"]?.contents == ca.description + "\n")
        let plain = GuestFiles.access(authorizedKeys: [])
        #expect(!plain.contains { $0.contents.contains("TrustedUserCAKeys") } && plain.count == 2)
    }
}
