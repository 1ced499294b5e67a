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
    /// The state the new row starts in: `provisioning` for a create, `imported` for a
    /// records-only import.
    var state: MachineState = .provisioning

    /// An address chosen for the machine, and whether it revives the machine's own
    /// quarantined lease.
    private struct Address {
        let ip: IPv4Address
        let reusesLease: Bool
    }

    /// What placement decides on: the pools that can give an address, every host of the
    /// IDC with its usage, and the request in placement's terms. Used by the claim and,
    /// in a rolled-back transaction, by the dry-run explanation.
    struct Plan {
        let pools: [Pool]
        let candidates: [HostCandidate]
        let request: PlacementRequest
    }

    /// Claims the machine. `memo` keeps placement candidates across the claims of one
    /// transaction (an import's rows); without it they are read for this claim alone.
    func run(in store: any StoreTransaction, memo: PlacementMemo? = nil) throws -> Machine {
        if try store.machine(named: request.name) != nil {
            throw KennelError(.nameTaken, "a machine named '\(request.name)' exists already", field: "name")
        }
        if let team = request.team, try store.team(named: team) == nil {
            throw KennelError(.unknownReference, "no team named '\(team)'", field: "team")
        }
        let plan = try plan(store, memo: memo)
        let chosen = try Placement.choose(plan.request, among: plan.candidates)
        guard let pool = plan.pools.first(where: { chosen.host.vlans.contains($0.vlan) }) else {
            throw KennelError(.internal, "placement chose host \(chosen.host.name), which reaches none of the pools")
        }
        let address = try leaseAddress(from: pool, store)
        let machine = Machine(
            name: request.name, uuid: uuid, state: state, spec: request.spec,
            host: chosen.host.name, location: chosen.host.location,
            network: MachineNetwork(
                pool: pool.name, ip: address.ip, prefix: pool.cidr.prefix, gateway: pool.gateway,
                vlan: pool.vlan, mac: try mac(for: address.ip, store)
            ),
            service: request.service, owner: request.owner, team: request.team, sshKeys: request.sshKeys, createdAt: now
        )
        try store.insert(machine, reusingLease: address.reusesLease)
        memo?.placed(machine)
        return machine
    }

    func plan(_ store: any StoreTransaction, memo: PlacementMemo? = nil) throws -> Plan {
        guard try store.idcExists(request.idc) else {
            throw KennelError(.unknownReference, "no IDC named '\(request.idc)'", field: "idc")
        }
        if let zone = request.zone, try !store.zoneExists(zone, in: request.idc) {
            throw KennelError(.unknownReference, "IDC \(request.idc) has no zone named '\(zone)'", field: "zone")
        }
        if let rack = request.rack,
            try !(memo?.racks(store) ?? store.racks()).contains(where: {
                $0.idc == request.idc && $0.rack == rack && (request.zone ?? $0.zone) == $0.zone
            })
        {
            throw KennelError(.unknownReference, "\(scope) has no rack named '\(rack)'", field: "rack")
        }
        let pools = try candidatePools(store)
        let placementRequest = request.placement(vlans: Set(pools.map(\.vlan)), scoring: try memo?.scoring(store) ?? store.scoringPolicy())
        let candidates =
            try memo?.candidates(in: request.idc, service: request.service, store)
            ?? store.placementCandidates(in: request.idc, service: request.service)
        return Plan(pools: pools, candidates: candidates, request: placementRequest)
    }

    /// The pools that may give this machine its address, in order of preference: the
    /// requested pool; else the one holding a requested `ip`; else the one holding this
    /// name's quarantined address; else every pool serving the IDC and zone that has a
    /// free address. Placement then needs a host reaching one of their VLANs.
    private func candidatePools(_ store: any StoreTransaction) throws -> [Pool] {
        if let name = request.pool {
            guard let pool = try store.pool(named: name) else {
                throw KennelError(.unknownReference, "no pool named '\(name)'", field: "pool")
            }
            guard pool.idc == request.idc, request.zone.map(pool.serves(zone:)) ?? true else {
                throw KennelError.invalid("pool", "pool \(name) does not serve \(scope)")
            }
            return [pool]
        }
        let serving = try store.pools(in: request.idc).filter { request.zone.map($0.serves(zone:)) ?? true }
        guard !serving.isEmpty else {
            throw KennelError(.unknownReference, "no pool serves \(scope)", field: "pool")
        }
        if let ip = request.ip {
            guard let pool = serving.first(where: { $0.cidr.contains(ip) }) else {
                throw KennelError.invalid("ip", "\(ip) is in no pool serving \(scope)")
            }
            return [pool]
        }
        if let previous = try store.quarantinedLease(of: request.name),
            let pool = serving.first(where: { $0.name == previous.pool })
        {
            return [pool]
        }
        var usable: [Pool] = []
        for pool in serving {
            try store.releaseExpiredQuarantine(in: pool.name, at: now)
            if try store.hasFreeAddress(in: pool.name) { usable.append(pool) }
        }
        guard !usable.isEmpty else {
            let names = serving.map { "\($0.name) (\($0.cidr))" }.joined(separator: ", ")
            throw KennelError(.poolExhausted, "no free address in the pools serving \(scope): \(names)", field: "pool")
        }
        return usable
    }

    /// The address for the machine. A name never holds two addresses: when it still has
    /// one in quarantine, that one comes back, and asking for another (by `ip`, or by a
    /// `pool` it is not in) is 409 saying which address the name holds.
    private func leaseAddress(from pool: Pool, _ store: any StoreTransaction) throws -> Address {
        try store.releaseExpiredQuarantine(in: pool.name, at: now)
        if let previous = try heldAddress(store) {
            guard previous.pool == pool.name, request.ip == nil || request.ip == previous.address else {
                let field = request.ip != nil ? "ip" : "pool"
                let until = previous.quarantinedUntil.map { " until \($0.formatted(.iso8601))" } ?? ""
                throw KennelError(
                    .ipInUse,
                    "\(request.name) still holds \(previous.address) in pool \(previous.pool) (quarantined\(until)); "
                        + "a name keeps one address: leave \(field) out, or ask for \(previous.address)",
                    field: field)
            }
            return Address(ip: previous.address, reusesLease: true)
        }
        if let ip = request.ip {
            return try explicitAddress(ip, in: pool, store)
        }
        guard let ip = try store.takeLowestFreeAddress(in: pool.name) else {
            throw KennelError(.poolExhausted, "pool \(pool.name) (\(pool.cidr)) has no free address", field: "pool")
        }
        return Address(ip: ip, reusesLease: false)
    }

    /// The name's quarantined address, unless its quarantine has run out.
    private func heldAddress(_ store: any StoreTransaction) throws -> Lease? {
        guard let previous = try store.quarantinedLease(of: request.name) else { return nil }
        try store.releaseExpiredQuarantine(in: previous.pool, at: now)
        return try store.quarantinedLease(of: request.name)
    }

    private func explicitAddress(_ ip: IPv4Address, in pool: Pool, _ store: any StoreTransaction) throws -> Address {
        guard PoolLayout(pool: pool).isAllocatable(ip) else {
            throw KennelError.invalid("ip", "\(ip) is not an allocatable address of pool \(pool.name) (gateway, excluded, or outside its ranges)")
        }
        if let lease = try store.lease(of: ip, in: pool.name) {
            if lease.state == .quarantined, lease.machine == request.name {
                return Address(ip: ip, reusesLease: true)
            }
            let holder =
                lease.state == .active
                ? "leased to machine \(lease.machine)"
                : "quarantined after machine \(lease.machine) released it"
            throw KennelError(.ipInUse, "\(ip) is \(holder)", field: "ip")
        }
        guard try store.takeFreeAddress(ip, in: pool.name) else {
            throw KennelError(.ipInUse, "\(ip) is not free in pool \(pool.name)", field: "ip")
        }
        return Address(ip: ip, reusesLease: false)
    }

    /// The requested MAC, or the one derived from the address. Requested MACs may not use
    /// the `52:54` prefix Kennel derives its own from (`52:54:a:b:c:d` for `a.b.c.d`), so
    /// the two can never collide — except `52:54:00:…`, the prefix of libvirt/KVM guests'
    /// MACs (kept by imports): it would be derived only from `0.x.x.x`, which no pool
    /// may hold.
    private func mac(for ip: IPv4Address, _ store: any StoreTransaction) throws -> MACAddress {
        let derived = MACAddress(derivedFrom: ip)
        guard let requested = request.mac, requested != derived else { return derived }
        guard requested.octets.prefix(2) != [0x52, 0x54] || requested.octets[2] == 0 else {
            throw KennelError.invalid("mac", "52:54:… (but 52:54:00:…) is reserved for MACs Kennel derives from addresses")
        }
        if try store.macInUse(requested) {
            throw KennelError(.macInUse, "\(requested) is used by another machine", field: "mac")
        }
        return requested
    }

    private var scope: String { request.zone.map { "\(request.idc)/\($0)" } ?? request.idc.value }
}

extension MachineRequest {
    /// What placement is asked for this request, on hosts reaching one of `vlans`.
    func placement(vlans: Set<VLANID>, scoring: ScoringPolicy) -> PlacementRequest {
        PlacementRequest(
            idc: idc, zone: zone, resources: spec.resources, vlans: vlans, service: service, spread: spread, hostClass: hostClass,
            hostLabels: hostLabels, scoring: scoring, rack: rack)
    }
}
