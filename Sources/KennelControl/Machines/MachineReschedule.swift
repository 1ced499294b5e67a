import Foundation
import KennelModel
import KennelPlacement

/// A create the host refused (`no_capacity`: its volume store cannot hold the disk) after
/// every step it did was undone: nothing of the machine is on that host.
struct HostRefusedCreate: Error {
    let refusal: KennelError
}

/// A create a host refuses for want of room tries the next host placement picks without
/// it, as Nova reschedules a build: placement knows the disk a site declares, the host
/// knows what its store really holds. The machine keeps its name, address and MAC (the
/// next host must reach its VLAN); at most `createAttempts` hosts try, then the create
/// is refused and leaves nothing.
extension MachineService {
    /// How many hosts may try one create (Nova's `max_attempts` is 3 too).
    static let createAttempts = 3

    /// Runs the create's host steps on the machine's host, and on the next hosts while
    /// hosts refuse it; the machine as it finally stands, or the last refusal (nothing left).
    func bringUpRescheduling(
        _ machine: Machine, request: MachineRequest, operation: Int64, by requester: Requester, first: [LifecycleStep]
    ) async throws -> Machine {
        var current = machine
        var steps = first
        var refused: [Hostname] = []
        while true {
            do {
                try await run(steps, operation: operation, of: current, action: "machine.create", by: requester)
                return current
            } catch let refusal as HostRefusedCreate {
                refused.append(current.host)
                let recorder = OperationRecorder(store: store, events: events, environment: environment, logger: logger)
                guard refused.count < Self.createAttempts,
                    let next = try await reschedule(current, request: request, avoiding: Set(refused), operation: operation, by: requester)
                else {
                    try await recorder.refuse(current, operation: operation, refusal: refusal.refusal, by: requester)
                }
                logger.warning(
                    "machine.rescheduled",
                    metadata: [
                        "machine": "\(current.name)", "operation": "\(operation)", "refused-by": "\(current.host)", "host": "\(next.host)",
                        "reason": "\(refusal.refusal.message)",
                    ])
                await events.publish(
                    "machine.rescheduled", machine: current.name, team: current.team, operation: operation,
                    data: ["host": next.host.value, "refused_by": current.host.value, "reason": refusal.refusal.message])
                current = next
                steps = try await self.steps.bringUp(current, on: try await host(named: current.host), undoable: true)
                try await launcher.start(operation, steps: steps.count)
            }
        }
    }

    /// Another host for `machine`, which the `refused` hosts refused, in one transaction:
    /// placement runs again for the machine's VLAN, with the refused hosts' disk taken
    /// (what they said) and the machine no longer counted where its row stands; the row
    /// moves to the chosen host and the move is audited. Nil when no other host fits.
    func reschedule(
        _ machine: Machine, request: MachineRequest, avoiding refused: Set<Hostname>, operation: Int64, by requester: Requester
    ) async throws -> Machine? {
        let now = environment.now()
        return try await store.transaction { store -> Machine? in
            let placement = request.placement(vlans: [machine.network.vlan], scoring: try store.scoringPolicy())
            let candidates = try store.placementCandidates(in: request.idc, service: request.service).map { candidate in
                guard refused.contains(candidate.host.name) else { return candidate }
                var used = candidate.used
                used.disk = candidate.host.schedulable.disk
                let own = candidate.host.name == machine.host && request.service != nil ? 1 : 0
                return HostCandidate(
                    host: candidate.host, used: used, serviceMachines: max(candidate.serviceMachines - own, 0),
                    rackIndex: candidate.rackIndex)
            }
            guard let chosen = try? Placement.choose(placement, among: candidates) else { return nil }
            try store.setHost(chosen.host.name, of: machine.name)
            let moved = try store.machine(named: machine.name)
            try AuditTrail(requester: requester, at: now, operation: operation)
                .record("machine.reschedule", "machine", machine.name.value, before: machine, after: moved, in: store)
            return moved
        }
    }
}
