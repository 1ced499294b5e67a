/// A validated request for a new machine: every field is a typed value.
public struct MachineRequest: Sendable, Equatable {
    /// The machine's name and hostname.
    public var name: Hostname
    /// The IDC to place it in.
    public var idc: Hostname
    /// The zone, if the requester cares.
    public var zone: Hostname?
    /// CPUs, memory, disk, image, bandwidth.
    public var spec: MachineSpec
    /// The spread group.
    public var service: Label?
    /// Who owns it.
    public var owner: Label?
    /// The pool to take the address from; by default one that serves the IDC and zone.
    public var pool: Hostname?
    /// A specific address; by default the pool's lowest free one.
    public var ip: IPv4Address?
    /// A specific MAC; by default one derived from the address.
    public var mac: MACAddress?
    /// How strictly to keep the service's machines in different racks.
    public var spread: SpreadMode
    /// A host class the machine must land on.
    public var hostClass: Label?
    /// Tags the host must carry.
    public var hostLabels: [Label]
    /// Keys allowed to log in as root (`ssh_key`, repeatable).
    public var sshKeys: [SSHPublicKey]

    /// The field names a create request may carry.
    public static let fieldNames: Set<String> = [
        "name", "idc", "zone", "cpus", "memory", "disk", "image",
        "service", "owner", "pool", "ip", "mac", "ingress", "egress", "spread", "host_class", "host_labels",
    ]

    /// The fields a create request may give more than once.
    public static let repeatableFieldNames: Set<String> = ["ssh_key"]

    /// Defaults for fields a request leaves out.
    public enum Defaults {
        public static let cpus = CPUCount.one
        public static let memory = ByteSize.gibibytes(1)
        public static let disk = ByteSize.gibibytes(10)
        public static let image = ImageName.defaultImage
    }

    /// Creates a request from typed values.
    public init(
        name: Hostname, idc: Hostname, zone: Hostname? = nil, spec: MachineSpec,
        service: Label? = nil, owner: Label? = nil, pool: Hostname? = nil, ip: IPv4Address? = nil, mac: MACAddress? = nil,
        spread: SpreadMode = .bestEffort, hostClass: Label? = nil, hostLabels: [Label] = [], sshKeys: [SSHPublicKey] = []
    ) {
        self.name = name
        self.idc = idc
        self.zone = zone
        self.spec = spec
        self.service = service
        self.owner = owner
        self.pool = pool
        self.ip = ip
        self.mac = mac
        self.spread = spread
        self.hostClass = hostClass
        self.hostLabels = hostLabels
        self.sshKeys = sshKeys
    }

    /// Parses a request from its fields, naming the first bad field in the error.
    public init(fields: RequestFields) throws(KennelError) {
        name = try fields.required("name")
        idc = try fields.required("idc")
        zone = try fields.optional("zone")
        spec = MachineSpec(
            cpus: try fields.value("cpus", default: Defaults.cpus),
            memory: try fields.value("memory", default: Defaults.memory),
            disk: try fields.value("disk", default: Defaults.disk),
            image: try fields.value("image", default: Defaults.image),
            ingress: try fields.optional("ingress"),
            egress: try fields.optional("egress")
        )
        service = try fields.optional("service")
        owner = try fields.optional("owner")
        pool = try fields.optional("pool")
        ip = try fields.optional("ip")
        mac = try fields.optional("mac")
        spread = try fields.value("spread", default: SpreadMode.bestEffort)
        hostClass = try fields.optional("host_class")
        hostLabels = try fields.optional("host_labels", as: CommaList<Label>.self)?.items ?? []
        sshKeys = try fields.all("ssh_key")
    }
}

