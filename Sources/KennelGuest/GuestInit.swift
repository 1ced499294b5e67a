/// How a machine boots: Kennel's own small scripts, written into every machine at every
/// start (like the identity files), so machines of any image version boot the same way.
///
/// `kennel-init` is the container's PID 1: it starts sshd at once (Python supervisord takes
/// a few hundred milliseconds to start, and a machine counts as up when sshd answers), then
/// becomes supervisord — through Kennel's launcher, which spares supervisord the loading
/// of `pkg_resources` (a third of its start-up CPU and 8 MiB of every machine's memory).
/// supervisord's `sshd` program (`kennel-sshd`) stands for that first sshd while it lives
/// and, when it dies, exits so that supervisord starts sshd itself: sshd stays supervised
/// and restarted.
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
        GuestFile(path: supervisordPath, contents: supervisordLauncher, mode: 0o755),
    ]

    /// Kennel's supervisord launcher (the file name keeps the process named supervisord).
    public static let supervisordPath = "/usr/local/lib/kennel/supervisord"

    /// An awk program over `/proc/self/mountinfo` that succeeds while a mount at or under
    /// `/sys/fs/cgroup` is still writable (its mount point is field 5, its options field 6).
    static let cgroupsWritable = #"$5 ~ "^/sys/fs/cgroup(/|$)" && $6 ~ /(^|,)rw(,|$)/ {w = 1} END {exit !w}"#

    static let initScript = """
        #!/bin/sh
        # Written by Kennel at every start: PID 1 of this machine. Starts sshd before
        # supervisord (whose sshd program then watches it) and becomes supervisord. The
        # address, route and MAC were set by the host before this ran. Nothing starts until
        # the host has made this machine's view of the host's cgroups read-only (right after
        # the start, or its reconciler after a restart libvirt made by itself).
        waited=0
        while awk '\(cgroupsWritable)' /proc/self/mountinfo; do
            if [ "$waited" -ge 3000 ]; then
                echo "kennel-init: the host left the cgroup mounts writable for 60 s; starting anyway" >&2
                break
            fi
            sleep 0.02
            waited=$((waited + 1))
        done
        mkdir -p /run/sshd
        /usr/sbin/sshd -o PidFile=/run/sshd.pid || echo "kennel-init: sshd did not start; supervisord will start it" >&2
        exec /usr/local/lib/kennel/supervisord --nodaemon --configuration /etc/supervisor/supervisord.conf

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
                # tail waits for sshd's end without a new process every second (an idle
                # machine makes none); sleep stands in if an image has no GNU tail.
                while kill -0 "$pid" 2>/dev/null; do
                    tail --pid="$pid" -f /dev/null 2>/dev/null & wait $! || { sleep 1 & wait $!; }
                done
                exit 1
            fi
        fi
        exec /usr/sbin/sshd -D -e -o PidFile=none

        """

    /// supervisor 4.2 imports `pkg_resources` (setuptools) only to resolve "module:attribute"
    /// specs such as its RPC interface factory. The launcher resolves them with importlib
    /// and leaves a stand-in that loads the real `pkg_resources` if a plugin uses it; if
    /// anything differs from what it expects, it runs the stock `/usr/bin/supervisord`.
    static let supervisordLauncher = """
        #!/usr/bin/python3
        # Written by Kennel at every start: supervisord, started without loading pkg_resources.
        # supervisor 4.2 imports pkg_resources (setuptools) only to resolve "module:attribute"
        # specs (its rpcinterface factory); loading that costs every machine ~60 ms of CPU and
        # ~8 MiB at boot. Here such specs are resolved with importlib, and pkg_resources is loaded
        # only if something uses it. If any of this fails, the stock supervisord runs instead.
        import importlib
        import importlib.util
        import os
        import sys
        import types


        def load_lazily(name):
            # A stand-in that imports the real module on its first attribute lookup.
            # (importlib.util.LazyLoader does not help here: Python 3.11's import statement
            # reads __spec__ of a module already in sys.modules, which loads it.)
            spec = importlib.util.find_spec(name)
            if spec is None:
                return
            stand_in = types.ModuleType(name)
            stand_in.__spec__ = spec

            def load(attribute):
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
                return getattr(importlib.import_module(name), attribute)

            stand_in.__getattr__ = load
            sys.modules[name] = stand_in


        def import_spec(self, spec):
            module, _, attributes = spec.partition(":")
            target = importlib.import_module(module.strip())
            for attribute in filter(None, attributes.split("[")[0].strip().split(".")):
                target = getattr(target, attribute)
            return target


        try:
            load_lazily("pkg_resources")
            from supervisor import options
            from supervisor.supervisord import main

            if not callable(getattr(options.Options, "import_spec", None)):
                raise ImportError("supervisor has no Options.import_spec")
            options.Options.import_spec = import_spec
        except Exception as error:
            print("kennel: starting the stock supervisord (%s)" % error, file=sys.stderr)
            os.execv("/usr/bin/supervisord", ["/usr/bin/supervisord"] + sys.argv[1:])
        sys.exit(main())

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
