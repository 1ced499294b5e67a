import Foundation
import KennelLibvirt
import KennelModel
import KennelTesting
import Testing

@Suite("Domain XML for a machine")
struct DomainXMLTests {
    private let golden = """
        <domain type='lxc'>
          <name>web-01</name>
          <uuid>6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b</uuid>
          <memory unit='KiB'>4194304</memory>
          <vcpu>2</vcpu>
          <cputune>
            <shares>2048</shares>
            <period>100000</period>
            <quota>200000</quota>
          </cputune>
          <os>
            <type>exe</type>
            <init>/usr/local/sbin/kennel-init</init>
          </os>
          <features>
            <capabilities policy='deny'>
              <chown state='on'/>
              <dac_override state='on'/>
              <fowner state='on'/>
              <fsetid state='on'/>
              <kill state='on'/>
              <setgid state='on'/>
              <setuid state='on'/>
              <setpcap state='on'/>
              <setfcap state='on'/>
              <linux_immutable state='on'/>
              <net_bind_service state='on'/>
              <net_broadcast state='on'/>
              <net_raw state='on'/>
              <ipc_lock state='on'/>
              <ipc_owner state='on'/>
              <sys_chroot state='on'/>
              <sys_ptrace state='on'/>
              <sys_pacct state='on'/>
              <sys_boot state='on'/>
              <sys_nice state='on'/>
              <sys_tty_config state='on'/>
              <lease state='on'/>
              <audit_write state='on'/>
            </capabilities>
          </features>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>restart</on_reboot>
          <on_crash>restart</on_crash>
          <devices>
            <filesystem type='mount' accessmode='passthrough'>
              <source dir='/var/lib/kennel/machines/web-01/rootfs'/>
              <target dir='/'/>
            </filesystem>
            <interface type='bridge'>
              <mac address='52:54:0a:64:00:02'/>
              <source bridge='br0'/>
              <virtualport type='openvswitch'/>
              <vlan>
                <tag id='100'/>
              </vlan>
              <ip address='10.100.0.2' family='ipv4' prefix='24'/>
              <route family='ipv4' address='0.0.0.0' prefix='0' gateway='10.100.0.1'/>
            </interface>
            <console type='pty'/>
          </devices>
        </domain>

        """

    private func definition() throws -> DomainDefinition {
        DomainDefinition(machine: Fixtures.machine(), host: try Fixtures.simulatedHost(), paths: HostPaths())
    }

    @Test("a machine renders to the golden XML")
    func goldenXML() throws {
        #expect(DomainXML.render(try definition()) == golden)
    }

    @Test("machines get only an allow-list of capabilities: none that reaches the host's kernel, network or mounts")
    func capabilities() throws {
        let xml = DomainXML.render(try definition())
        #expect(xml.contains("<capabilities policy='deny'>") && xml.contains("<net_raw state='on'/>"), "ping needs CAP_NET_RAW")
        #expect(!xml.contains("state='off'"))
        for dangerous in ["sys_admin", "net_admin", "sys_module", "sys_rawio", "sys_time", "mknod", "dac_read_search", "syslog", "sys_resource"] {
            #expect(!DomainXML.allowedCapabilities.contains(dangerous), "\(dangerous)")
            #expect(!xml.contains("<\(dangerous) "), "\(dangerous)")
        }
        for everyday in ["chown", "setuid", "setgid", "sys_chroot", "net_bind_service", "kill", "audit_write"] {
            #expect(xml.contains("<\(everyday) state='on'/>"), "\(everyday)")
        }
    }

    @Test("CPU shares and quota scale with the CPU count")
    func cpuTuning() throws {
        let definition = DomainDefinition(machine: Fixtures.machine(cpus: 3), host: try Fixtures.simulatedHost(), paths: HostPaths())
        #expect(definition.cpuShares == 3072)
        #expect(definition.cpuQuota == 300_000)
        #expect(definition.vcpus == 3)
    }

    @Test("IO limits render as blkiotune throttles on the volume's device, only those set")
    func blockThrottle() throws {
        var definition = try definition()
        #expect(!DomainXML.render(definition).contains("blkiotune"))
        definition.diskIO = DiskIOLimits(writeBytesPerSecond: 20_971_520, readIOPS: 500)
        #expect(!DomainXML.render(definition).contains("blkiotune"), "no device known: nothing to throttle")
        definition.blockDevice = "/dev/loop3"
        let xml = DomainXML.render(definition)
        #expect(
            xml.contains(
                "  </cputune>\n  <blkiotune>\n    <device>\n      <path>/dev/loop3</path>\n      <write_bytes_sec>20971520</write_bytes_sec>\n      <read_iops_sec>500</read_iops_sec>\n    </device>\n  </blkiotune>\n  <os>"
            ))
        #expect(!xml.contains("read_bytes_sec"))
    }

    @Test("text is escaped in elements and attributes")
    func escaping() throws {
        var definition = try definition()
        definition.bridge = "br'<&>\""
        definition.initArguments = ["a&b"]
        let xml = DomainXML.render(definition)
        #expect(xml.contains("<source bridge='br&apos;&lt;&amp;&gt;&quot;'/>"))
        #expect(xml.contains("<initarg>a&amp;b</initarg>"))
    }

    @Test("machine files are laid out under the machines root")
    func paths() {
        let paths = HostPaths(machinesRoot: "/srv/kennel")
        #expect(paths.rootfs(of: TestSite.value("db-1")) == "/srv/kennel/db-1/rootfs")
        #expect(paths.directory(of: TestSite.value("db-1")) == "/srv/kennel/db-1")
    }
}
