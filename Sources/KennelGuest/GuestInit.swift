/// How a machine boots: Kennel's own small scripts, written into every machine at every
/// start (like the identity files), so machines of any image version boot the same way.
///
/// `kennel-init` is the container's PID 1: it applies the static address, starts sshd at
/// once (Python supervisord needs about a second to start, and a machine counts as up
/// when sshd answers), then becomes supervisord. supervisord's `sshd` program
/// (`kennel-sshd`) stands for that first sshd while it lives and, when it dies, exits so
/// that supervisord starts sshd itself: sshd stays supervised and restarted.
public enum GuestInit {
    /// The init libvirt starts.
    public static let path = "/usr/local/sbin/kennel-init"

    /// The scripts, executable by root only.
    public static let files: [GuestFile] = [
        GuestFile(path: path, contents: initScript, mode: 0o755),
        GuestFile(path: "/usr/local/sbin/kennel-sshd", contents: sshdScript, mode: 0o755),
        GuestFile(path: "/usr/local/sbin/kennel-network", contents: networkScript, mode: 0o755),
    ]

    static let initScript = """
        #!/bin/sh
        # Written by Kennel at every start: PID 1 of this machine. Applies the address, starts
        # sshd before supervisord (whose sshd program then watches it), and becomes supervisord.
        /usr/local/sbin/kennel-network || echo "kennel-init: the network script failed" >&2
        mkdir -p /run/sshd
        /usr/sbin/sshd -o PidFile=/run/sshd.pid || echo "kennel-init: sshd did not start; supervisord will start it" >&2
        exec /usr/bin/supervisord --nodaemon --configuration /etc/supervisor/supervisord.conf

        """

    static let sshdScript = """
        #!/bin/sh
        # Written by Kennel at every start: supervisord's sshd program. While the sshd that
        # kennel-init started lives, this stands for it (a stop stops it); when it dies, this
        # exits, and supervisord's restart runs sshd in the foreground.
        set -eu
        mkdir -p /run/sshd
        if [ -s /run/sshd.pid ]; then
            pid="$(cat /run/sshd.pid)"
            rm -f /run/sshd.pid
            if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ]; then
                trap 'kill "$pid"; exit 0' TERM INT
                while kill -0 "$pid" 2>/dev/null; do sleep 1 & wait $!; done
                exit 1
            fi
        fi
        exec /usr/sbin/sshd -D -e -o PidFile=none

        """

    static let networkScript = """
        #!/bin/sh
        # Written by Kennel at every start: applies the address in /etc/kennel/network.env
        # without dropping it first (sshd may already serve on it) and removes any other.
        set -eu
        . /etc/kennel/network.env
        ip link set dev "$INTERFACE" up
        ip address replace "$ADDRESS" dev "$INTERFACE"
        for other in $(ip -4 -o address show dev "$INTERFACE" scope global | awk '{print $4}'); do
            [ "$other" = "$ADDRESS" ] || ip address del "$other" dev "$INTERFACE"
        done
        # One default route, through the gateway (libvirt sets one too; two would be one too many).
        if [ "$(ip route show default | wc -l)" != 1 ] || ! ip route show default | grep -q "^default via $GATEWAY dev $INTERFACE"; then
            while ip route del default 2>/dev/null; do :; done
            ip route add default via "$GATEWAY" dev "$INTERFACE"
        fi

        """
}
