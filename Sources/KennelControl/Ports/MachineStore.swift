import Foundation
import KennelModel
import KennelPlacement

/// Kennel's durable state. Implementations must make `transaction` atomic and
/// serialisable: two transactions never see each other's partial writes, and
/// uniqueness (machine name; pool + address) is enforced by the store itself.
public protocol MachineStore: Sendable {
    /// Runs `body` in one write transaction; a thrown error rolls everything back.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result

    /// Runs `body` in a read transaction: one consistent snapshot, run beside the writer
    /// (it never waits for a create's claim), and refusing any write. For GETs, lists and
    /// reports.
    func snapshot<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result

    /// Runs `body` in a write transaction that is always rolled back: a dry run.
    func dryRun<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result

    /// Every machine, by name.
    func machines() async throws -> [Machine]
    /// One machine, or nil.
    func machine(named name: Hostname) async throws -> Machine?
    /// Every host, by name.
    func hosts() async throws -> [ComputeHost]
    /// One host, or nil.
    func host(named name: Hostname) async throws -> ComputeHost?
    /// Every pool, by name.
    func pools() async throws -> [Pool]
}

/// The reads and writes one store transaction offers the services: one protocol per
/// aggregate, so that a service names the part it uses and a new table does not grow
/// one list of forty methods.
public typealias StoreTransaction = MachineRecords & AddressRecords & HostRecords & OperationRecords & SiteRecords & AccessRecords & SSHRecords
    & AuditRecords & EventRecords & ImportRecords

/// Machines: rows, states, and where a service's machines stand.
public protocol MachineRecords {
    func machine(named name: Hostname) throws -> Machine?
    /// Writes a new machine and its active lease. With `reusingLease`, the machine takes
    /// over the quarantined lease of its address instead of a new one.
    func insert(_ machine: Machine, reusingLease: Bool) throws
    /// Changes a machine's size and limits (resize, limits).
    func setSpec(_ spec: MachineSpec, of name: Hostname) throws
    /// Moves a machine's row to another host (a create rescheduled before anything of it
    /// stayed on the first host); its rack and zone follow the host.
    func setHost(_ host: Hostname, of name: Hostname) throws
    /// Changes a machine's state and failure note.
    func setState(_ state: MachineState, failure: String?, of name: Hostname) throws
    /// Removes a machine; its lease is quarantined per its pool (or freed if that is zero).
    func deleteMachine(named name: Hostname, releasingAt now: Date) throws
    /// Machines on `host`, by name.
    func machineNames(on host: Hostname) throws -> [Hostname]
    /// Where each machine of `service` stands, one entry per machine.
    func locations(ofService service: Label) throws -> [SiteLocation]
    /// Whether any lease, active or quarantined, uses `mac`.
    func macInUse(_ mac: MACAddress) throws -> Bool
}

/// Pools, their leases and free addresses (IPAM).
public protocol AddressRecords {
    func pool(named name: Hostname) throws -> Pool?
    /// Pools of `idc`, by name.
    func pools(in idc: Hostname) throws -> [Pool]
    /// Every pool, by name.
    func allPools() throws -> [Pool]
    /// Adds a pool or replaces a known one's settings, and recomputes its free addresses.
    func save(_ pool: Pool) throws
    /// Removes a pool with its quarantined leases; the caller checks it has no active ones.
    func deletePool(named name: Hostname) throws
    /// How the pool's addresses are used at `now`.
    func usage(of pool: Pool, at now: Date) throws -> PoolUsage
    /// The lease of `address` in `pool`, active or quarantined, if any.
    func lease(of address: IPv4Address, in pool: Hostname) throws -> Lease?
    /// Every lease of `pool`, by address.
    func leases(in pool: Hostname) throws -> [Lease]
    /// The quarantined lease `machine` last held, if any (for sticky re-creation).
    func quarantinedLease(of machine: Hostname) throws -> Lease?
    /// Frees the addresses of `pool` whose quarantine has ended by `now`.
    func releaseExpiredQuarantine(in pool: Hostname, at now: Date) throws
    /// Takes the lowest free address of `pool`, or nil when none is free.
    func takeLowestFreeAddress(in pool: Hostname) throws -> IPv4Address?
    /// Takes `address` from `pool`'s free addresses; false when it is not free.
    func takeFreeAddress(_ address: IPv4Address, in pool: Hostname) throws -> Bool
    /// Whether `pool` has any free address (after releasing expired quarantine).
    func hasFreeAddress(in pool: Hostname) throws -> Bool
    /// Takes the lowest free address of `pool` for the probe of operation `operation` (the
    /// peer of a bandwidth self-test, held only while it runs); nil when none is free.
    func takeProbeAddress(in pool: Hostname, for operation: Int64) throws -> IPv4Address?
    /// Gives back the probe address operation `operation` holds, if any.
    func releaseProbeAddress(of operation: Int64) throws
    /// Gives back every probe address (at start-up: their operations ended with the
    /// process before); answers how many.
    func releaseAllProbeAddresses() throws -> Int
}

/// Hosts, their usage, and what placement sees of them.
public protocol HostRecords {
    /// One host, or nil.
    func host(named name: Hostname) throws -> ComputeHost?
    /// Every host, by name.
    func allHosts() throws -> [ComputeHost]
    /// Adds a host or replaces a known one.
    func save(_ host: ComputeHost) throws
    /// Removes a host; the caller checks it carries no machines.
    func deleteHost(named name: Hostname) throws
    /// What each host's machines reserve.
    func usage(of host: Hostname) throws -> Resources
    /// Every host of `idc` with its reserved resources and its machines of `service`.
    func placementCandidates(in idc: Hostname, service: Label?) throws -> [HostCandidate]
    /// The site's placement scoring policy.
    func scoringPolicy() throws -> ScoringPolicy
}

/// The site: IDCs, zones, racks, and loading a site file.
public protocol SiteRecords {
    /// Loads a site file: adds the IDCs, zones, racks, hosts and pools the store does not
    /// know yet. Known ones keep what the API made of them (a drained host stays drained);
    /// only a known host's URI is refreshed (simulated hosts get new files each start).
    func apply(_ site: Site) throws
    func idcExists(_ idc: Hostname) throws -> Bool
    func zoneExists(_ zone: Hostname, in idc: Hostname) throws -> Bool
    func rackExists(_ location: SiteLocation) throws -> Bool
    /// Adds an IDC, a zone or a rack; refuses a duplicate.
    func insertIDC(_ name: Hostname) throws
    func insertZone(_ key: ZoneKey) throws
    func insertRack(_ location: SiteLocation) throws
    /// Every rack, by IDC, zone and name.
    func racks() throws -> [SiteLocation]
    /// Every zone, by IDC and name.
    func zones() throws -> [ZoneKey]
    /// Every IDC, by name.
    func idcs() throws -> [Hostname]
}

extension MachineStore {
    /// What a start of `machine` needs from the store, read together: its pool's DNS
    /// settings; who may log in at `now` — its team's members and the users its active
    /// grants name, with their keys; and the SSH user CA.
    public func launch(of machine: Machine, at now: Date) async throws -> MachineLaunch {
        try await snapshot { store in
            let pool = try store.pool(named: machine.network.pool)
            let grants = try store.allGrants()
            let target = BastionPolicy.Target(
                name: machine.name, ip: machine.network.ip, team: machine.team, service: machine.service)
            let allowed = try store.allUsers().filter { BastionPolicy.mayLogIn($0, target, grants: grants, at: now) }.map(\.name)
            let memberKeys = try store.userKeys(of: allowed)
            return MachineLaunch(machine: machine, pool: pool, memberKeys: memberKeys, members: allowed, userCA: try store.userCAKey())
        }
    }
}
