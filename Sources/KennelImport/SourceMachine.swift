import KennelModel

/// One VM of an inventory, as its export describes it, before any mapping: names and
/// places as written there, sizes in MiB, addresses parsed. Problems with its cells are
/// kept on it (the plan shows the row as an error) rather than ending the read.
public struct SourceMachine: Sendable, Equatable {
    /// Where it came from: the spreadsheet row (header = 1) or JSON position (first = 1).
    public var row: Int
    /// The file it came from, when the caller named it.
    public var file: String?
    /// A stable id from the source, so a re-run finds the machine it made:
    /// `vsphere:SERVER:VM-UUID`, `netbox:ID`, `nova:ID`, or the generic map's id column.
    public var sourceID: String?
    /// The name as the export writes it (normalised later, by the mapping).
    public var name: String
    public var power: PowerState = .unknown
    public var isTemplate = false
    public var cpus: Int?
    public var memoryMiB: Int?
    public var diskMiB: Int?
    /// IPv4 addresses, the primary first.
    public var addresses: [IPv4Address] = []
    /// Addresses set aside (IPv6 and the like).
    public var otherAddresses: [String] = []
    /// MAC addresses as written (checked by the mapping).
    public var macs: [String] = []
    /// Networks, port groups or VLAN names, in NIC order.
    public var networks: [String] = []
    /// vSphere datacenter, NetBox site, OpenStack region.
    public var datacenter: String?
    /// vSphere cluster, NetBox cluster, OpenStack availability zone.
    public var cluster: String?
    /// A Kennel zone the export names itself (generic inventories).
    public var zone: String?
    /// The hypervisor it runs on.
    public var host: String?
    public var rack: String?
    public var os: String?
    public var annotation: String?
    public var owner: String?
    public var team: String?
    public var service: String?
    public var vlan: Int?
    /// Other columns worth keeping: custom attributes, NetBox `cf_*`, tags.
    public var attributes: [String: String] = [:]
    /// What could not be read in its cells.
    public var issues: [ImportIssue] = []

    public init(row: Int, name: String) {
        self.row = row
        self.name = name
    }

    /// Whether it was running when exported.
    public enum PowerState: String, Sendable, Equatable, Codable {
        case on, off, suspended, unknown

        /// `poweredOn`, `ACTIVE`, `running`, `active`, `on` …; `poweredOff`, `SHUTOFF`,
        /// `offline`, `stopped` …
        public init(exported text: String) {
            switch HeaderKey(text).value {
            case "poweredon", "on", "running", "active", "up", "started", "1": self = .on
            case "poweredoff", "off", "shutoff", "stopped", "offline", "down", "shutdown", "planned", "decommissioning", "0": self = .off
            case "suspended", "paused", "suspend": self = .suspended
            default: self = .unknown
            }
        }
    }
}

/// What a reader made of a file: its machines, and problems with the file as a whole.
public struct SourceRead: Sendable, Equatable {
    public var format: SourceFormat
    public var machines: [SourceMachine]
    public var issues: [ImportIssue]

    public init(format: SourceFormat, machines: [SourceMachine], issues: [ImportIssue] = []) {
        self.format = format
        self.machines = machines
        self.issues = issues
    }
}

/// The export formats Kennel reads.
public enum SourceFormat: String, Sendable, Equatable, CaseIterable, Codable {
    /// RVTools vInfo (4.x, 3.x, or the `vInfoVMName…` CSV export), CSV or XLSX.
    case rvtools
    /// NetBox virtual machines CSV (with an IP addresses CSV), or its REST JSON.
    case netbox
    /// `openstack server list --long -f json` or Nova `GET /servers/detail`.
    case openstack
    /// Any CSV or JSON, with a column map.
    case generic
    /// Kennel's own export (`kennel export --format json|csv`).
    case kennel
}
