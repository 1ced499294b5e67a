import Foundation
import KennelImport
import KennelModel
import Testing

@Suite("NetBox and OpenStack exports")
struct NetBoxOpenStackReaderTests {
    private func file(_ name: String, _ text: String) -> SourceFile { SourceFile(name: name, bytes: Array(text.utf8)) }

    @Test("NetBox VM CSV with the IP address CSV: the primary address first, cf_* kept, MB sizes")
    func netboxCSV() {
        let machines = """
            id,name,status,site,cluster,role,tenant,platform,vcpus,memory,disk,comments,cf_owner,cf_backup
            17,web-01,active,dc-east,prod-a,web,shop,debian-12,2.00,4096,40960,,alice,daily
            18,db-01,offline,dc-east,prod-b,db,shop,,8,16384,512000,"old, keep",,
            """
        let addresses = """
            address,vrf,tenant,status,role,virtual_machine,interface,is_primary,dns_name
            10.20.0.11/24,,,active,,web-01,eth0,true,web-01.example
            10.20.1.11/24,,,active,,web-01,eth1,false,
            2001:db8::11/64,,,active,,web-01,eth0,false,
            10.30.0.5/24,,,active,,db-01,eth0,,
            """
        let (read, roles) = InventoryReader.read([file("vms.csv", machines), file("ips.csv", addresses)])
        #expect(read.format == .netbox && roles.map(\.role) == [.netboxMachines, .netboxAddresses])
        #expect(read.issues.isEmpty)
        let web = read.machines[0]
        #expect(web.sourceID == "netbox:17" && web.power == .on && web.cpus == 2 && web.memoryMiB == 4096 && web.diskMiB == 40960)
        #expect(web.addresses == [TestIP.v("10.20.0.11"), TestIP.v("10.20.1.11")] && web.otherAddresses == ["2001:db8::11/64"])
        #expect(web.attributes == ["owner": "alice", "backup": "daily"] && web.team == "shop" && web.service == "web")
        #expect(web.datacenter == "dc-east" && web.cluster == "prod-a" && web.file == "vms.csv")
        #expect(read.machines[1].power == .off && read.machines[1].annotation == "old, keep")
    }

    @Test("NetBox REST JSON: paginated results, nested names, custom fields, addresses by VM id")
    func netboxJSON() {
        let machines = """
            [{"count": 2, "next": "http://netbox/api/virtualization/virtual-machines/?offset=1", "results": [
              {"id": 17, "name": "web-01", "status": {"value": "active", "label": "Active"}, "site": {"id": 1, "name": "DC East", "slug": "dc-east"},
               "cluster": {"name": "prod-a"}, "role": {"name": "web"}, "tenant": null, "vcpus": 2.0, "memory": 4096, "disk": 40960,
               "primary_ip4": {"id": 5, "address": "10.20.0.11/24"}, "custom_fields": {"owner": "alice", "cost": null}, "tags": [{"name": "pci"}]}]},
             {"count": 2, "next": null, "results": [
              {"id": 18, "name": "db-01", "status": {"value": "offline"}, "site": {"name": "DC East"}, "vcpus": "lots", "memory": 16384, "disk": null}]}]
            """
        let addresses = """
            {"results": [{"address": "10.30.0.5/24", "assigned_object_type": "virtualization.vminterface",
                          "assigned_object": {"id": 9, "name": "eth0", "virtual_machine": {"id": 18, "name": "db-01"}}}]}
            """
        let (read, _) = InventoryReader.read([file("vms.json", machines), file("ips.json", addresses)])
        #expect(read.format == .netbox && read.machines.count == 2)
        #expect(read.machines[0].addresses == [TestIP.v("10.20.0.11")] && read.machines[0].datacenter == "DC East")
        #expect(read.machines[0].attributes == ["owner": "alice", "tags": "pci"] && read.machines[0].power == .on)
        #expect(read.machines[1].addresses == [TestIP.v("10.30.0.5")] && read.machines[1].power == .off)
        #expect(read.machines[1].issues.map(\.description) == [#"vms.json row 2 column "vcpus": "lots" is not a number"#])
    }

    @Test("openstack server list --long -f json: networks as an object or a string, sized by a flavor list")
    func openstackList() {
        let servers = """
            [{"ID": "a1", "Name": "web-01", "Status": "ACTIVE", "Power State": "Running", "Networks": {"prod-net": ["10.50.0.7", "fd00::7"]},
              "Flavor Name": "m1.medium", "Flavor ID": "3", "Availability Zone": "az1", "Host": "cmp-1", "Properties": {"team": "web"}},
             {"ID": "a2", "Name": "db-01", "Status": "SHUTOFF", "Power State": "Shutdown", "Networks": "prod-net=10.50.0.8, 10.50.0.9; mgmt=192.168.0.8",
              "Flavor Name": "m1.huge", "Availability Zone": "az2"}]
            """
        let flavors = #"[{"ID": "3", "Name": "m1.medium", "RAM": 4096, "Disk": 40, "Ephemeral": 0, "VCPUs": 2, "Is Public": true}]"#
        let (read, roles) = InventoryReader.read([file("servers.json", servers), file("flavors.json", flavors)])
        #expect(roles.map(\.role) == [.openstackServers, .openstackFlavors])
        let web = read.machines[0]
        #expect(web.sourceID == "nova:a1" && web.power == .on && web.cpus == 2 && web.memoryMiB == 4096 && web.diskMiB == 40960)
        #expect(web.addresses == [TestIP.v("10.50.0.7")] && web.networks == ["prod-net"] && web.cluster == "az1" && web.attributes["team"] == "web")
        let db = read.machines[1]
        #expect(db.power == .off && db.addresses.map(\.description) == ["10.50.0.8", "10.50.0.9", "192.168.0.8"])
        #expect(db.issues.map(\.column) == ["flavor"], "a flavor missing from the given list")
    }

    @Test("Nova /servers/detail: fixed addresses with their MACs, floating set aside, the embedded flavor")
    func novaDetail() {
        let servers = """
            {"servers": [{"id": "b1", "name": "app-01", "status": "ACTIVE", "OS-EXT-STS:power_state": 1, "OS-EXT-AZ:availability_zone": "nova",
              "OS-EXT-SRV-ATTR:host": "cmp-2",
              "addresses": {"private": [{"addr": "10.60.0.4", "version": 4, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:04"},
                                        {"addr": "203.0.113.4", "version": 4, "OS-EXT-IPS:type": "floating", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:04"}]},
              "flavor": {"vcpus": 4, "ram": 8192, "disk": 80, "original_name": "m1.large"}, "metadata": {"service": "app"}}]}
            """
        let (read, _) = InventoryReader.read([file("detail.json", servers)])
        #expect(read.format == .openstack)
        let app = read.machines[0]
        #expect(app.addresses == [TestIP.v("10.60.0.4")] && app.otherAddresses == ["203.0.113.4"] && app.macs == ["fa:16:3e:00:00:04"])
        #expect(app.cpus == 4 && app.memoryMiB == 8192 && app.diskMiB == 81920 && app.cluster == "nova" && app.attributes["service"] == "app")
    }

    @Test("a generic CSV with a column map: units from the map, the header or the cell")
    func generic() {
        var map = GenericColumns()
        map.name = "Host Name"
        map.memoryUnit = "GB"
        let text = "Host Name,IP,Memory,Disk (GB),Rack,Team\nweb-01,10.1.0.5,8,100,r1,web\ndb-01,10.1.0.6,512M,1.5T,r2,db\n"
        let (read, roles) = InventoryReader.read([file("cmdb.csv", text)], columns: map)
        #expect(roles.map(\.role) == [.generic] && read.issues.isEmpty)
        #expect(read.machines.map(\.memoryMiB) == [8192, 512] && read.machines.map(\.diskMiB) == [102_400, 1_572_864])
        #expect(read.machines[0].rack == "r1" && read.machines[0].team == "web" && read.machines[0].addresses == [TestIP.v("10.1.0.5")])
        var missing = GenericColumns()
        missing.name = "Server"
        #expect(
            InventoryReader.read([file("cmdb.csv", text)], columns: missing).read.issues.map(\.description) == [
                #"cmdb.csv row 1 column "Server": the column map names this column, but the header has none such"#
            ])
    }

    @Test("random bytes and every cut of each sample into every reader: issues, never a crash")
    func fuzz() {
        let samples = [
            RVToolsReaderTests.v4, "{\"servers\": [{\"id\": \"b1\", \"name\": \"x\", \"flavor\": {\"vcpus\": 2}}]}",
            "[{\"ID\": \"a1\", \"Name\": \"w\", \"Networks\": \"n=10.0.0.1\"}]", "name,status,vcpus\nweb,active,2\n",
        ]
        for sample in samples {
            let bytes = Array(sample.utf8)
            for cut in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 60)) {
                for format in [nil] + SourceFormat.allCases.map(Optional.some) {
                    let (read, _) = InventoryReader.read([SourceFile(name: "cut", bytes: Array(bytes.prefix(cut)))], format: format)
                    for issue in read.issues + read.machines.flatMap(\.issues) { #expect(!issue.message.isEmpty) }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = InventoryReader.read([SourceFile(name: "noise", bytes: bytes)])
        }
    }
}
