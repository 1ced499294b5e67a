/// A validated request for a new machine: every field is a typed value.
public struct MachineRequest: Sendable, Equatable {
    /// The machine's name and hostname.
    public var name: Hostname
    /// The IDC to place it in.
    public var idc: Hostname
    /// The zone, if the requester cares.
    public var zone: Hostname?
    /// The rack, if the requester cares (an import keeps a VM's rack).
    public var rack: Hostname?
    /// CPUs, memory, disk, image, bandwidth.
    public var spec: MachineSpec
    /// The spread group.
    public var service: Label?
    /// Who owns it: a free label.
    public var owner: Label?
    /// The team it belongs to (access); by default the requester's only team.
    public var team: Hostname?
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
        "name", "idc", "zone", "rack", "cpus", "memory", "disk", "image",
        "service", "owner", "team", "pool", "ip", "mac", "ingress", "egress", "spread", "host_class", "host_labels",
        "disk_read_bps", "disk_write_bps", "disk_read_iops", "disk_write_iops", "filesystem",
        "memory_soft", "swap",
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
        service: Label? = nil, owner: Label? = nil, team: Hostname? = nil, pool: Hostname? = nil, ip: IPv4Address? = nil, mac: MACAddress? = nil,
        spread: SpreadMode = .bestEffort, hostClass: Label? = nil, hostLabels: [Label] = [], sshKeys: [SSHPublicKey] = []
    ) {
        self.name = name
        self.idc = idc
        self.zone = zone
        self.spec = spec
        self.service = service
        self.owner = owner
        self.team = team
        self.pool = pool
        self.ip = ip
        self.mac = mac
        self.spread = spread
        self.hostClass = hostClass
        self.hostLabels = hostLabels
        self.sshKeys = sshKeys
    }

    /// The smallest values that can work; below them a machine cannot boot (memory,
    /// disk) or a shaped link cannot carry an SSH session (bandwidth). The disk must also
    /// hold its image, which the machine service checks against the image catalog.
    public enum Minimums {
        /// 64 MiB: systemd, sshd and supervisord start in about 40 MiB.
        public static let memory = ByteSize.mebibytes(64)
        /// 512 MiB: the debian-12 root filesystem is about 400 MiB.
        public static let disk = ByteSize.mebibytes(512)
        /// 1 Mbit/s, in each direction.
        public static let bandwidth = Bandwidth.megabits(1)
    }

    /// Parses a request from its fields, naming the first bad field in the error. Sizes
    /// and rates need their unit (`512M`, `100M`) and are checked against `Minimums`.
    public init(fields: RequestFields) throws(KennelError) {
        name = try fields.required("name")
        idc = try fields.required("idc")
        zone = try fields.optional("zone")
        rack = try fields.optional("rack")
        spec = MachineSpec(
            cpus: try fields.value("cpus", default: Defaults.cpus),
            memory: try Self.size(fields, "memory", default: Defaults.memory, atLeast: Minimums.memory),
            disk: try Self.size(fields, "disk", default: Defaults.disk, atLeast: Minimums.disk).roundedUp(toMultipleOf: VolumeGeometry.extent),
            image: try fields.value("image", default: Defaults.image),
            ingress: try Self.rate(fields, "ingress"),
            egress: try Self.rate(fields, "egress"),
            diskIO: try DiskIOLimits().applying(fields),
            filesystem: try fields.value("filesystem", default: FilesystemKind.xfs),
            memoryLimits: try MemoryLimits().applying(fields)
        )
        try spec.memoryLimits.check(memory: spec.memory)
        service = try fields.optional("service")
        owner = try fields.optional("owner")
        team = try fields.optional("team")
        pool = try fields.optional("pool")
        ip = try fields.optional("ip")
        mac = try fields.optional("mac")
        spread = try fields.value("spread", default: SpreadMode.bestEffort)
        hostClass = try fields.optional("host_class")
        hostLabels = try fields.optional("host_labels", as: CommaList<Label>.self)?.items ?? []
        sshKeys = try fields.all("ssh_key")
    }

    private static func size(_ fields: RequestFields, _ name: String, default fallback: ByteSize, atLeast minimum: ByteSize) throws(KennelError)
        -> ByteSize
    {
        guard let size = try fields.optional(name, as: RequestedSize.self)?.size else { return fallback }
        guard size >= minimum else { throw KennelError.invalid(name, "\(size) is too small; a machine needs at least \(minimum)") }
        return size
    }

    private static func rate(_ fields: RequestFields, _ name: String) throws(KennelError) -> Bandwidth? {
        guard let rate = try fields.optional(name, as: RequestedRate.self)?.rate else { return nil }
        guard rate >= Minimums.bandwidth else {
            throw KennelError.invalid(name, "\(rate) bit/s is too small; the least is \(Minimums.bandwidth) (1 Mbit/s)")
        }
        return rate
    }
}
