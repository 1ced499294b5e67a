import KennelModel

/// The full account of a placement decision, for the dry-run endpoint and for refusals.
public struct PlacementReport: Sendable, Equatable {
    /// The chosen host, if the request can be placed.
    public let chosen: ComputeHost?
    /// Why it cannot be, if it cannot.
    public let error: KennelError?
    /// Hosts that passed every filter, best first.
    public let ranking: [Ranked]
    /// Per-filter counts and per-host reasons of the hosts filtered out.
    public let refusals: RefusalDetails

    /// A report for a request refused before placement ran (unknown IDC, no pool…).
    public static func refused(_ error: KennelError) -> PlacementReport {
        PlacementReport(chosen: nil, error: error, ranking: [], refusals: RefusalDetails(filtered: [:], hosts: []))
    }

    /// One eligible host with what ranked it.
    public struct Ranked: Sendable, Equatable {
        public let host: ComputeHost
        /// Machines of the service in its rack and on it.
        public let rackServiceMachines: Int
        public let hostServiceMachines: Int
        /// Share of CPU and memory free after overcommit, 0…1.
        public let freeShare: Double
    }

    /// Explains `request` over `candidates` without deciding anything else.
    public static func explain(_ request: PlacementRequest, among candidates: [HostCandidate]) -> PlacementReport {
        let rackLoad = Placement.serviceMachinesPerRack(candidates, service: request.service)
        let eligible = candidates.indices.filter { HostFilter.passesExplained(candidates[$0], request) }
            .sorted { Placement.ranks(candidates, $0, before: $1, rackLoad, request) }
        let ranking = eligible.map { index in
            let candidate = candidates[index]
            return Ranked(
                host: candidate.host, rackServiceMachines: rackLoad[candidate.rackIndex],
                hostServiceMachines: candidate.serviceMachines, freeShare: candidate.freeShare)
        }
        do {
            let chosen = try Placement.choose(request, among: candidates)
            return PlacementReport(chosen: chosen.host, error: nil, ranking: ranking, refusals: refusals(request, candidates))
        } catch {
            return PlacementReport(chosen: nil, error: error, ranking: ranking, refusals: error.details ?? refusals(request, candidates))
        }
    }

    /// Every refused host with its first failed filter; under strict spread, eligible
    /// hosts in racks that already hold the service are refused by `spread`.
    static func refusals(_ request: PlacementRequest, _ candidates: [HostCandidate], strictLoad: [Int]? = nil) -> RefusalDetails {
        var counts: [String: Int] = [:]
        var hosts: [RefusalDetails.HostReason] = []
        for candidate in candidates {
            if let (filter, reason) = HostFilter.firstRefusal(candidate, request) {
                counts[filter, default: 0] += 1
                hosts.append(.init(host: candidate.host.name.value, filter: filter, reason: reason))
            } else if let load = strictLoad?[candidate.rackIndex], load > 0 {
                counts["spread", default: 0] += 1
                hosts.append(
                    .init(
                        host: candidate.host.name.value, filter: "spread",
                        reason: "rack \(candidate.host.location.rack) already holds \(load) of service \(request.service?.value ?? "")"))
            }
        }
        return RefusalDetails(filtered: counts, hosts: hosts.sorted { $0.host < $1.host })
    }
}
