/// Renders a `DomainDefinition` as libvirt LXC domain XML.
public enum DomainXML {
    /// The XML for `definition`; every value is escaped.
    public static func render(_ definition: DomainDefinition) -> String {
        let d = definition
        let initArguments = d.initArguments.map { "    <initarg>\(escape($0))</initarg>\n" }.joined()
        return """
            <domain type='lxc'>
              <name>\(escape(d.name))</name>
              <uuid>\(d.uuid.uuidString.lowercased())</uuid>
              <memory unit='KiB'>\(d.memoryKiB)</memory>
              <vcpu>\(d.vcpus)</vcpu>
              <cputune>
                <shares>\(d.cpuShares)</shares>
                <period>\(d.cpuPeriod)</period>
                <quota>\(d.cpuQuota)</quota>
              </cputune>
            \(memoryTune(d))\(blockIOTune(d))  <os>
                <type>exe</type>
                <init>\(escape(d.initPath))</init>
            \(initArguments)  </os>
              <features>
                <capabilities policy='deny'>
            \(capabilityElements)    </capabilities>
              </features>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>restart</on_crash>
              <devices>
                <filesystem type='mount' accessmode='passthrough'>
                  <source dir='\(escape(d.rootfs))'/>
                  <target dir='/'/>
                </filesystem>
                <interface type='bridge'>
                  <mac address='\(d.mac)'/>
                  <source bridge='\(escape(d.bridge))'/>
                  <virtualport type='openvswitch'/>
                  <vlan>
                    <tag id='\(d.vlan)'/>
                  </vlan>
                  <ip address='\(d.ip)' family='ipv4' prefix='\(d.prefix)'/>
                  <route family='ipv4' address='0.0.0.0' prefix='0' gateway='\(d.gateway)'/>
                </interface>
                <console type='pty'/>
              </devices>
            </domain>

            """
    }

    /// The only capabilities root in a machine has (`<capabilities policy='deny'>`: every
    /// other one is dropped from the bounding set, the ones newer than libvirt's list —
    /// `bpf`, `perfmon`, `checkpoint_restore`, `audit_read` — too). Machines share the host's
    /// kernel without a user namespace, so what is left out is what would reach past the
    /// machine: `sys_admin` (remount `/proc/sys` read-write and set the host's
    /// `kernel.core_pattern`, new cgroup hierarchies, mounts), `net_admin` (the address, MAC,
    /// routes and qdiscs the host set), `sys_module`, `sys_rawio`, `sys_time`, `mknod`,
    /// `dac_read_search` (`open_by_handle_at`), `syslog` (the host's kernel log), `bpf` and
    /// `perfmon` (kernel memory), `sys_resource`, `audit_control`, `mac_admin`,
    /// `mac_override`, `wake_alarm`, `block_suspend`. What a VM's root does every day stays:
    /// files and owners, users and groups (sshd, cron, su), ports below 1024, ping
    /// (`net_raw`: forged frames are the host port's business), chroot (sshd's privilege
    /// separation), strace and gdb (`sys_ptrace`, within the machine's own processes), nice,
    /// mlock, file capabilities (`setfcap`, for packages), and `reboot` (`sys_boot`, which
    /// in the machine's PID namespace only ends the machine, and libvirt starts it again).
    public static let allowedCapabilities = [
        "chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "setfcap", "linux_immutable",
        "net_bind_service", "net_broadcast", "net_raw", "ipc_lock", "ipc_owner", "sys_chroot", "sys_ptrace", "sys_pacct",
        "sys_boot", "sys_nice", "sys_tty_config", "lease", "audit_write",
    ]

    private static var capabilityElements: String {
        Self.allowedCapabilities.map { "      <\($0) state='on'/>\n" }.joined()
    }

    /// `<memtune>` with the hard limit when a soft limit or a swap limit is set; nothing
    /// otherwise (`<memory>` is the hard limit then).
    private static func memoryTune(_ d: DomainDefinition) -> String {
        guard d.memorySoftKiB != nil || d.swapHardKiB != nil else { return "" }
        let limits = [("hard_limit", Optional(d.memoryKiB)), ("soft_limit", d.memorySoftKiB), ("swap_hard_limit", d.swapHardKiB)]
        let elements = limits.compactMap { name, value in value.map { "    <\(name) unit='KiB'>\($0)</\(name)>\n" } }.joined()
        return """
              <memtune>
            \(elements)  </memtune>

            """
    }

    /// `<blkiotune>` throttles on the volume's block device; nothing when it has none or
    /// the machine is unthrottled.
    private static func blockIOTune(_ d: DomainDefinition) -> String {
        guard let device = d.blockDevice, !d.diskIO.isEmpty else { return "" }
        let limits = [
            ("read_bytes_sec", d.diskIO.readBytesPerSecond), ("write_bytes_sec", d.diskIO.writeBytesPerSecond),
            ("read_iops_sec", d.diskIO.readIOPS), ("write_iops_sec", d.diskIO.writeIOPS),
        ]
        let elements = limits.compactMap { name, value in value.map { "      <\(name)>\($0)</\(name)>\n" } }.joined()
        return """
              <blkiotune>
                <device>
                  <path>\(escape(device))</path>
            \(elements)    </device>
              </blkiotune>

            """
    }

    /// Escapes text for use in XML content and single- or double-quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "'": result += "&apos;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
