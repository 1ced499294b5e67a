import KennelImport
import KennelModel
import Testing

@Suite("RVTools vInfo in each header variant, with vNetwork")
struct RVToolsReaderTests {
    private func read(_ text: String, vNetwork: String? = nil) throws -> SourceRead {
        RVToolsReader.read(vInfo: try DelimitedTable(Array(text.utf8)), vNetwork: try vNetwork.map { try DelimitedTable(Array($0.utf8)) })
    }

    static let v4 = """
        VM,Powerstate,Template,SRM Placeholder,DNS Name,CPUs,Memory,NICs,Total disk capacity MiB,Primary IP Address,Network #1,Network #2,Provisioned MiB,In Use MiB,Annotation,Datacenter,Cluster,Host,OS according to the configuration file,OS according to the VMware Tools,VM ID,VM UUID,VI SDK Server,Owner,Cost Center,
        WEB_01,poweredOn,False,False,web01.corp.example,2,"4,096",1,"40,960","10.20.0.11, fe80::250:56ff:fe01:1",VLAN20-Web,,"42,000","12,000","app: shop
        owner: web team",DC-East,Prod-A,esx01.corp.example,Debian 11 (64-bit),Debian GNU/Linux 11 (64-bit),vm-101,4201a1b2-0000-0000-0000-00000000000A,vcenter01.corp.example,alice,CC-100,
        web-template,poweredOff,True,False,,2,2048,1,20480,,VLAN20-Web,,20480,1000,,DC-East,Prod-A,esx01.corp.example,,,vm-102,4201a1b2-0000-0000-0000-00000000000b,vcenter01.corp.example,,,
        db-01,poweredOff,FALSE,False,,8,"16,384",2,"512,000",,VLAN30-DB,VLAN99-Backup,"512,000",0,,DC-East,Prod-B,esx02.corp.example,,,vm-103,4201a1b2-0000-0000-0000-00000000000c,vcenter01.corp.example,bob,CC-200,

        """

    @Test("4.x display headers: sizes with thousands separators, IPv6 set aside, custom attributes kept, a stable vSphere id")
    func version4() throws {
        let read = try read(Self.v4)
        #expect(read.issues.isEmpty)
        #expect(read.machines.count == 3)
        let web = read.machines[0]
        #expect(web.name == "WEB_01" && web.row == 2 && web.power == .on && !web.isTemplate)
        #expect(web.cpus == 2 && web.memoryMiB == 4096 && web.diskMiB == 40960)
        #expect(web.addresses.map(\.description) == ["10.20.0.11"] && web.otherAddresses == ["fe80::250:56ff:fe01:1"])
        #expect(web.networks == ["VLAN20-Web"] && web.datacenter == "DC-East" && web.cluster == "Prod-A" && web.host == "esx01.corp.example")
        #expect(web.os == "Debian GNU/Linux 11 (64-bit)" && web.annotation == "app: shop\nowner: web team")
        #expect(web.sourceID == "vsphere:vcenter01.corp.example:4201a1b2-0000-0000-0000-00000000000a")
        #expect(web.attributes == ["Owner": "alice", "Cost Center": "CC-100", "DNS Name": "web01.corp.example"])
        #expect(read.machines[1].isTemplate && read.machines[1].power == .off && read.machines[1].addresses.isEmpty)
        #expect(read.machines[2].row == 4 && read.machines[2].networks == ["VLAN30-DB", "VLAN99-Backup"] && read.machines[2].memoryMiB == 16384)
    }

    @Test("3.x headers (MB, no primary address): addresses and MACs come from vNetwork, by VM UUID or name")
    func version3() throws {
        let vInfo = """
            VM,Powerstate,Template,CPUs,Memory,Total disk capacity MB,Provisioned MB,In Use MB,Datacenter,Cluster,Host,VM UUID,VI SDK Server
            app-01,poweredOn,False,4,8192,102400,102400,5000,DC-West,C1,esx9,4201-aa,vc2
            app-02,poweredOn,False,4,8192,,102400,5000,DC-West,C1,esx9,,vc2
            """
        let vNetwork = """
            VM,Powerstate,Template,NIC label,Adapter,Network,Switch,Connected,Mac Address,Type,IP Address,VM UUID
            app-01,poweredOn,False,Network adapter 1,Vmxnet3,VLAN40,vSwitch0,True,00:50:56:aa:bb:01,assigned,"10.40.0.5, 2001:db8::5",4201-AA
            app-02,poweredOn,False,Network adapter 1,Vmxnet3,VLAN40,vSwitch0,True,00:50:56:aa:bb:02,assigned,10.40.0.6,
            """
        let read = try read(vInfo, vNetwork: vNetwork)
        #expect(read.machines.map(\.addresses) == [[TestIP.v("10.40.0.5")], [TestIP.v("10.40.0.6")]])
        #expect(read.machines.map(\.macs) == [["00:50:56:aa:bb:01"], ["00:50:56:aa:bb:02"]])
        #expect(read.machines.map(\.diskMiB) == [102400, 102400], "provisioned when the total is empty")
        #expect(read.machines[0].networks == ["VLAN40"] && read.machines[0].otherAddresses == ["2001:db8::5"])
        #expect(try self.read(vInfo).machines.allSatisfy(\.addresses.isEmpty), "3.x without vNetwork: no address")
    }

    @Test("the vInfoVMName CSV export variant, with semicolons, a BOM and CRLF; tags become attributes")
    func csvExportVariant() throws {
        let text =
            "\u{FEFF}vInfoVMName;vInfoPowerstate;vInfoTemplate;vInfoCPUs;vInfoMemory;vInfoTotalDiskCapacityMiB;vInfoPrimaryIPAddress;"
            + "vInfoNetwork1;vInfoDataCenter;vInfoCluster;vInfoHost;vInfoOSTools;vInfoUUID;vInfoVISDKServer;vInfo_tags_Team\r\n"
            + "Web 02.corp.example;poweredOn;false;2;4096;40960;10.20.0.12;VLAN20-Web;DC-East;Prod-A;esx01;Ubuntu;4201-bb;vc1;web\r\n"
        let read = try read(text)
        #expect(RVToolsReader.matches(try DelimitedTable(Array(text.utf8))))
        let web = try #require(read.machines.first)
        #expect(web.name == "Web 02.corp.example" && web.cpus == 2 && web.memoryMiB == 4096 && web.diskMiB == 40960)
        #expect(web.addresses == [TestIP.v("10.20.0.12")] && web.sourceID == "vsphere:vc1:4201-bb" && web.attributes["Team"] == "web")
    }

    @Test("a bad cell is an issue on its row naming the column; the other rows read on")
    func badCells() throws {
        let read = try read(
            "VM,Powerstate,Template,CPUs,Memory,Primary IP Address\na,poweredOn,maybe,lots,1024,10.0.0.300\nb,poweredOn,False,2,2048,10.0.0.2\n")
        #expect(
            read.machines[0].issues.map(\.description) == [
                #"row 2 column "Template": "maybe" is not true or false"#, #"row 2 column "CPUs": "lots" is not a whole number"#,
                #"row 2 column "Primary IP Address": "10.0.0.300" is not an IPv4 address"#,
            ])
        #expect(read.machines[1].issues.isEmpty && read.machines[1].cpus == 2)
    }

    @Test("a vInfo without its VM column is a file issue")
    func missingColumns() throws {
        let read = try read("Powerstate,CPUs\npoweredOn,2\n")
        #expect(read.issues.contains { $0.column == "VM" })
    }
}

/// Addresses for expectations.
enum TestIP {
    static func v(_ text: String) -> IPv4Address {
        (try? IPv4Address(parsing: text)) ?? IPv4Address(0)
    }
}
