import KennelModel

/// How the host asks a machine's sshd whether it answers, from inside the machine's
/// network namespace (`nsenter --net`, nothing from the guest's disk runs).
public enum SSHProbe: Sendable, Equatable {
    /// Reads sshd's version line (`SSH-2.0-…`) with the host's OpenBSD netcat, which
    /// closes its side at once: sshd has accepted, started its connection process and
    /// loaded its keys (~10 ms).
    case banner
    /// A full key exchange by `ssh-keyscan` for the ed25519 host key: ~70 ms, most of
    /// it the client's post-quantum key generation. For hosts without netcat.
    case keyScan

    /// The netcat the banner probe runs (Debian's `netcat-openbsd`; `kennel host prepare` installs it).
    public static let netcat = "nc.openbsd"

    /// The banner probe where this host has netcat, else the key scan.
    public static var available: SSHProbe { ExecutableSearch.resolve(netcat) == nil ? .keyScan : .banner }

    /// The command that asks sshd at `ip`, in the network namespace of `initPID`.
    func arguments(initPID: Int32, ip: IPv4Address) -> [String] {
        let enter = ["--net=/proc/\(initPID)/ns/net", "--"]
        switch self {
        // `timeout`: netcat's -w ends only an idle connection, and the guest may keep talking.
        case .banner: return enter + ["timeout", "2", Self.netcat, "-N", "-w", "2", "\(ip)", "22"]
        case .keyScan: return enter + ["ssh-keyscan", "-T", "2", "-t", "ed25519", "\(ip)"]
        }
    }

    /// Whether what the command printed is sshd answering.
    func answered(_ output: String) -> Bool {
        switch self {
        case .banner: return output.hasPrefix("SSH-2.0-")
        case .keyScan: return output.contains("ssh-ed25519")
        }
    }
}
