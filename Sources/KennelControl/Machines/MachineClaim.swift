import Foundation
import KennelIPAM
import KennelModel
import KennelPlacement

/// The part of creating a machine that happens inside one store transaction: check the
/// name and references, pick the pool, place on a host, lease the address, write the row.
/// Because it all runs in one serialisable transaction, two requests can never both
/// win the last address or the last slot on a host.
struct MachineClaim {
    let request: MachineRequest
    let uuid: UUID
    let now: Date

    func run(in store: any StoreTransaction) throws -> Machine {
        if try store.machine(named: request.name) != nil {
            throw KennelError(.nameTaken, "a machine named '\(request.name)' exists already", field: "name")
        }
        guard try store.idcExists(request.idc) else {
            throw KennelError(.unknownReference, "no IDC named '\(request.idc)'", field: "idc")
        }
        if let zone = request.zone, try !store.zoneExists(zone, in: request.idc) {
            throw KennelError(.unknownReference, "IDC \(request.idc) has no zone named '\(zone)'", field: "zone")
        }
        let pool = try choosePool(store)
        let candidates = try store.placementCandidates(in: request.idc, service: request.service)
        let placementRequest = PlacementRequest(
            idc: request.idc, zone: request.zone, resources: request.spec.resources,
            vlan: pool.vlan, service: request.service
        )
        let chosen = try Placement.choose(placementRequest, among: candidates)
        let address = try leaseAddress(from: pool, store)
        let machine = Machine(
            name: request.name, uuid: uuid, state: .provisioning, spec: request.spec,
            host: chosen.host.name, location: chosen.host.location,
            network: MachineNetwork(
                pool: pool.name, ip: address, prefix: pool.cidr.prefix, gateway: pool.gateway,
                vlan: pool.vlan, mac: MACAddress(derivedFrom: address)
            ),
            service: request.service, owner: request.owner, createdAt: now
        )
        try store.insert(machine)
        return machine
    }

    /// The requested pool, or the first pool (by name) that serves the IDC and zone.
    private func choosePool(_ store: any StoreTransaction) throws -> Pool {
        if let name = request.pool {
            guard let pool = try store.pool(named: name) else {
                throw KennelError(.unknownReference, "no pool named '\(name)'", field: "pool")
            }
            guard pool.idc == request.idc, request.zone.map(pool.serves(zone:)) ?? true else {
                throw KennelError.invalid("pool", "pool \(name) does not serve \(scope)")
            }
            return pool
        }
        let serving = try store.pools(in: request.idc).filter { request.zone.map($0.serves(zone:)) ?? true }
        if let ip = request.ip {
            guard let pool = serving.first(where: { $0.cidr.contains(ip) }) else {
                throw KennelError.invalid("ip", "\(ip) is in no pool serving \(scope)")
            }
            return pool
        }
        guard let pool = serving.first else {
            throw KennelError(.unknownReference, "no pool serves \(scope)", field: "pool")
        }
        return pool
    }

    private func leaseAddress(from pool: Pool, _ store: any StoreTransaction) throws -> IPv4Address {
        let plan = PoolAddressPlan(pool: pool)
        if let ip = request.ip {
            guard plan.isAllocatable(ip) else {
                throw KennelError.invalid("ip", "\(ip) is not an allocatable address of pool \(pool.name) (\(pool.cidr), gateway \(pool.gateway))")
            }
            if let holder = try store.leaseHolder(of: ip, in: pool.name) {
                throw KennelError(.ipInUse, "\(ip) is leased to machine \(holder)", field: "ip")
            }
            return ip
        }
        guard let address = plan.lowestFree(taken: try store.leasedAddresses(in: pool.name)) else {
            throw KennelError(.poolExhausted, "pool \(pool.name) (\(pool.cidr)) has no free address", field: "pool")
        }
        return address
    }

    private var scope: String { request.zone.map { "\(request.idc)/\($0)" } ?? request.idc.value }
}
