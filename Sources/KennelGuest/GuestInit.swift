/// How a machine boots: Kennel's own small scripts, written into every machine at every
/// start (like the identity files), so machines of any image version boot the same way.
///
/// `kennel-init` is the container's PID 1: it starts sshd at once (Python supervisord needs about a second to start, and a machine counts as up
/// when sshd answers), then becomes supervisord. supervisord's `sshd` program
/// (`kennel-sshd`) stands for that first sshd while it lives and, when it dies, exits so
/// that supervisord starts sshd itself: sshd stays supervised and restarted.
///
/// The address, the default route and the MAC are the host's: libvirt sets them on the
/// container's `eth0` before init starts, and the machine runs without CAP_NET_ADMIN, so
/// nothing inside can change them. `kennel-network` only reports them, for images whose
/// supervisord still runs it.
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
        # Written by Kennel at every start: PID 1 of this machine. Starts sshd before
        # supervisord (whose sshd program then watches it) and becomes supervisord. The
        # address, route and MAC were set by the host before this ran.
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
        # Written by Kennel at every start. The host sets this machine's address, default
        # route and MAC (libvirt, before init starts) and the machine cannot change them (it
        # runs without CAP_NET_ADMIN): this only says what they are, and whether they match
        # /etc/kennel/network.env.
        . /etc/kennel/network.env
        if ip -4 -o address show dev "$INTERFACE" | grep -q " $ADDRESS "; then
            echo "kennel-network: $INTERFACE has $ADDRESS (set by the host)"
        else
            echo "kennel-network: $INTERFACE lacks $ADDRESS; the host sets it at start" >&2
        fi

        """
}
