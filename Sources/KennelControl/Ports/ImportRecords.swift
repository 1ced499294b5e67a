import KennelModel

/// Where imported machines came from: the source id of the inventory row each was made
/// from (gone with the machine).
public protocol ImportRecords {
    /// What an import compares of every machine, read without building whole machines
    /// (an estate of 100,000 is read whole).
    func machineFacts() throws -> [MachineFacts]
    /// Every imported machine's source id, by source id.
    func machineSources() throws -> [String: Hostname]
    /// Records (or replaces) the source id of `machine`; an id another machine has is `conflict`.
    func setSource(_ sourceID: String, of machine: Hostname) throws
    /// Changes who a machine belongs to (a changed row of a re-run import).
    func setOwnership(team: Hostname?, service: Label?, owner: Label?, of machine: Hostname) throws
    /// Records row `position` of import operation `operation`.
    func appendImportRow(_ row: ImportOutcome.Row, position: Int, of operation: Int64) throws
    /// Changes the result of a recorded row (a build that failed after the write).
    func setImportRowResult(_ result: ImportOutcome.Result, reason: String?, position: Int, of operation: Int64) throws
    /// The recorded rows of import operation `operation`, in order.
    func importRows(of operation: Int64) throws -> [ImportOutcome.Row]
    /// Runs `body` in a savepoint: if it throws, what it wrote is undone (the rest of the
    /// transaction stays) and the error is rethrown. An import with `partial` applies
    /// each row this way.
    func savepoint<Result>(_ body: () throws -> Result) throws -> Result
}

/// What an import plan compares of an existing machine.
public struct MachineFacts: Sendable, Equatable {
    public let name: Hostname
    public let ip: IPv4Address
    public let mac: MACAddress
    public let idc: Hostname
    public let cpus: CPUCount
    public let memory: ByteSize
    public let disk: ByteSize
    public let team: Hostname?
    public let service: Label?
    public let owner: Label?

    public init(
        name: Hostname, ip: IPv4Address, mac: MACAddress, idc: Hostname, cpus: CPUCount, memory: ByteSize, disk: ByteSize, team: Hostname?,
        service: Label?, owner: Label?
    ) {
        self.name = name
        self.ip = ip
        self.mac = mac
        self.idc = idc
        self.cpus = cpus
        self.memory = memory
        self.disk = disk
        self.team = team
        self.service = service
        self.owner = owner
    }
}
