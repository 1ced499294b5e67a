import KennelModel

/// A file Kennel writes into a machine's root filesystem before its first start.
public struct GuestFile: Sendable, Equatable, Codable {
    /// Absolute path inside the guest.
    public let path: String
    public let contents: String
    /// Unix permission bits.
    public let mode: UInt16

    public init(path: String, contents: String, mode: UInt16 = 0o644) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }
}

/// What makes a machine itself inside its root filesystem.
public struct GuestIdentity: Sendable, Equatable {
    public let machine: Machine
    /// DNS servers and search domain, from the machine's pool.
    public let dns: [IPv4Address]
    public let searchDomain: DomainName?
    /// Keys allowed to log in as root.
    public let authorizedKeys: [SSHPublicKey]
    /// Certificate principals allowed in as root, and the CA whose certificates count.
    public let principals: [String]
    public let userCA: SSHPublicKey?

    public init(
        machine: Machine, dns: [IPv4Address], searchDomain: DomainName?, authorizedKeys: [SSHPublicKey], principals: [String] = [],
        userCA: SSHPublicKey? = nil
    ) {
        self.machine = machine
        self.dns = dns
        self.searchDomain = searchDomain
        self.authorizedKeys = authorizedKeys
        self.principals = principals
        self.userCA = userCA
    }

    /// The identity of `machine` on `pool`.
    public init(machine: Machine, pool: Pool, authorizedKeys: [SSHPublicKey]) {
        self.init(machine: machine, dns: pool.dns, searchDomain: pool.searchDomain, authorizedKeys: authorizedKeys)
    }
}

/// Renders the per-machine files of a guest: hostname, hosts, machine-id, resolv.conf, the
/// static network configuration (kept inside the guest too, so the machine comes back
/// with the same address after any restart, as a VM would), and root's authorized keys.
/// SSH host keys are generated per machine on the host, not rendered here.
public enum GuestFiles {
    public static func render(_ identity: GuestIdentity) -> [GuestFile] {
        let machine = identity.machine
        let name = machine.name.value
        let network = machine.network
        let fqdn = identity.searchDomain.map { "\(name).\($0)" }
        var files = [
            GuestFile(path: "/etc/hostname", contents: name + "\n"),
            GuestFile(
                path: "/etc/hosts",
                contents: """
                    127.0.0.1\tlocalhost
                    ::1\tlocalhost ip6-localhost ip6-loopback
                    \(network.ip)\t\(([fqdn].compactMap { $0 } + [name]).joined(separator: " "))

                    """),
            GuestFile(path: "/etc/machine-id", contents: machine.uuid.uuidString.lowercased().filter { $0 != "-" } + "\n", mode: 0o444),
            GuestFile(path: "/etc/resolv.conf", contents: resolvConf(identity)),
            GuestFile(
                path: "/etc/network/interfaces",
                contents: """
                    # Written by Kennel: this machine's address for life. The host sets it on eth0
                    # at every start; the machine cannot change it (no CAP_NET_ADMIN).
                    auto lo
                    iface lo inet loopback

                    auto eth0
                    iface eth0 inet static
                        address \(network.ip)/\(network.prefix)
                        gateway \(network.gateway)
                        hwaddress ether \(network.mac)

                    """),
            GuestFile(
                path: "/etc/kennel/network.env",
                contents: """
                    INTERFACE=eth0
                    ADDRESS=\(network.ip)/\(network.prefix)
                    GATEWAY=\(network.gateway)
                    MAC=\(network.mac)
                    VLAN=\(network.vlan)

                    """),
        ]
        files += GuestInit.files
        files += access(authorizedKeys: identity.authorizedKeys, principals: identity.principals, userCA: identity.userCA)
        return files
    }

    /// Where Kennel's list of keys allowed in as root lives: beside root's own
    /// `~/.ssh/authorized_keys`, which stays the guest's to edit and Kennel never writes.
    public static let authorizedKeysPath = "/etc/ssh/kennel/authorized_keys"

    /// Where the certificate principals allowed in as root, and the CA trusted, live.
    public static let principalsPath = "/etc/ssh/kennel/principals"
    public static let userCAPath = "/etc/ssh/kennel/user_ca.pub"

    /// Who may log in: an sshd drop-in that reads Kennel's key list too (and, once Kennel
    /// has a CA, trusts its certificates for the principals listed), and the lists
    /// (written even when empty, so a removed key or member goes). Written at every start,
    /// and the lists again while the machine runs whenever they change (sshd reads them
    /// at each login).
    public static func access(authorizedKeys: [SSHPublicKey], principals: [String] = [], userCA: SSHPublicKey? = nil) -> [GuestFile] {
        var config = """
            # Written by Kennel at every start: the keys Kennel allows (its users' and the
            # machine request's) are read beside root's own
            AuthorizedKeysFile .ssh/authorized_keys \(authorizedKeysPath)

            """
        if userCA != nil {
            config += """
                # and certificates from Kennel's CA, for the principals its team's members are.
                TrustedUserCAKeys \(userCAPath)
                AuthorizedPrincipalsFile \(principalsPath)

                """
        }
        return [GuestFile(path: "/etc/ssh/sshd_config.d/kennel-access.conf", contents: config)]
            + lists(authorizedKeys: authorizedKeys, principals: principals, userCA: userCA)
    }

    /// The lists alone, as a running machine's access change writes them.
    public static func lists(authorizedKeys: [SSHPublicKey], principals: [String], userCA: SSHPublicKey?) -> [GuestFile] {
        var files = [authorizedKeysFile(authorizedKeys)]
        if let userCA {
            files.append(GuestFile(path: principalsPath, contents: principals.map { $0 + "\n" }.joined(), mode: 0o644))
            files.append(GuestFile(path: userCAPath, contents: userCA.description + "\n", mode: 0o644))
        }
        return files
    }

    /// Kennel's key list alone, as a running machine's key change writes it.
    public static func authorizedKeysFile(_ keys: [SSHPublicKey]) -> GuestFile {
        let lines = ["# Written by Kennel: its users' keys and the machine request's. Changes are overwritten."] + keys.map(\.description)
        return GuestFile(path: authorizedKeysPath, contents: lines.joined(separator: "\n") + "\n", mode: 0o644)
    }

    private static func resolvConf(_ identity: GuestIdentity) -> String {
        var lines = ["# Written by Kennel from pool \(identity.machine.network.pool)."]
        if let search = identity.searchDomain { lines.append("search \(search)") }
        lines += identity.dns.prefix(3).map { "nameserver \($0)" }
        if identity.dns.isEmpty { lines.append("# The pool names no DNS servers.") }
        return lines.joined(separator: "\n") + "\n"
    }
}
