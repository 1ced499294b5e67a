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
                <capabilities policy='default'>
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

    /// Capabilities root in a machine runs without, beyond libvirt's default drops: with
    /// `net_admin` off the guest cannot change its address, MAC, routes or qdiscs (the host
    /// sets them: `<ip>`, `<route>`, `<mac>`); `sys_module`, `sys_rawio` and `sys_time`
    /// would reach the host's kernel, devices and clock.
    public static let droppedCapabilities = ["net_admin", "sys_module", "sys_rawio", "sys_time"]

    private static var capabilityElements: String {
        Self.droppedCapabilities.map { "      <\($0) state='off'/>\n" }.joined()
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
