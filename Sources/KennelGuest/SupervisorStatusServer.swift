/// supervisord's XML-RPC server for the host: how a machine's host learns the state of its
/// programs without running anything from the guest's disk (a `supervisorctl` the guest
/// can replace, run with the host's capabilities and cgroups, would let a machine's root
/// take the host). It listens on the machine's own loopback, where only the host (entering
/// the machine's network namespace, with its own `curl`) and the machine itself can reach
/// it, and asks for a password only the host holds; the guest file keeps its SHA-1.
public enum SupervisorStatusServer {
    /// The loopback port, above the kernel's ephemeral range (32768–60999), so that no
    /// outgoing connection of the machine takes it before supervisord binds it at boot.
    public static let port: UInt16 = 61999
    /// The user name the host presents.
    public static let username = "kennel"
    /// Written into the guest at every start, read by supervisord at its start.
    public static let path = "/etc/supervisor/conf.d/00-kennel-status.conf"

    /// The configuration that turns the server on, given the SHA-1 (hex) of the password.
    public static func file(passwordSHA1: String) -> GuestFile {
        GuestFile(
            path: path,
            contents: """
                ; Written by Kennel at every start: the host reads supervisord's program states here
                ; (XML-RPC on the machine's loopback, with a password only the host holds).
                [inet_http_server]
                port=127.0.0.1:\(port)
                username=\(username)
                password={SHA}\(passwordSHA1)

                """,
            mode: 0o600)
    }
}
