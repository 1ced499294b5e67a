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

/// The reads and writes one store transaction offers the services.
public protocol StoreTransaction {
    func machine(named name: Hostname) throws -> Machine?
    func idcExists(_ idc: Hostname) throws -> Bool
    func zoneExists(_ zone: Hostname, in idc: Hostname) throws -> Bool
    func pool(named name: Hostname) throws -> Pool?
    /// Pools of `idc`, by name.
    func pools(in idc: Hostname) throws -> [Pool]
    /// Every host of `idc` with its reserved resources and its machines of `service`.
    func placementCandidates(in idc: Hostname, service: Label?) throws -> [HostCandidate]
    /// Addresses leased from `pool`, ascending.
    func leasedAddresses(in pool: Hostname) throws -> [IPv4Address]
    /// The machine holding `address` in `pool`, if any.
    func leaseHolder(of address: IPv4Address, in pool: Hostname) throws -> Hostname?

    /// Writes a new machine and its address lease.
    func insert(_ machine: Machine) throws
    /// Changes a machine's state and failure note.
    func setState(_ state: MachineState, failure: String?, of name: Hostname) throws
    /// Removes a machine and releases its lease.
    func deleteMachine(named name: Hostname) throws

    /// Records the start of an operation; returns its id.
    func beginOperation(_ kind: OperationKind, machine: Hostname, at time: Date) throws -> Int64
    /// Records the end of an operation; `error` nil means success.
    func finishOperation(_ id: Int64, error: String?, at time: Date) throws

    /// Inserts or updates the site topology and pools (hosts and pools are matched by name).
    func apply(_ site: Site) throws
}

/// The kinds of asynchronous work Kennel records.
public enum OperationKind: String, Sendable, Codable {
    case create, delete, reconcile
}
