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
              <os>
                <type>exe</type>
                <init>\(escape(d.initPath))</init>
            \(initArguments)  </os>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>restart</on_crash>
              <devices>
                <filesystem type='mount' accessmode='passthrough'>
                  <source dir='\(escape(d.rootfs))'/>
                  <target dir='/'/>
                </filesystem>
            \(dataVolume(d))
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

    private static func dataVolume(_ d: DomainDefinition) -> String {
        switch d.dataVolume {
        case .directory(let path):
            return """
                    <filesystem type='mount' accessmode='passthrough'>
                      <source dir='\(escape(path))'/>
                      <target dir='\(escape(d.dataMountPoint))'/>
                    </filesystem>
                """
        case .block(let device):
            return """
                    <filesystem type='block' accessmode='passthrough'>
                      <source dev='\(escape(device))'/>
                      <target dir='\(escape(d.dataMountPoint))'/>
                    </filesystem>
                """
        }
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
