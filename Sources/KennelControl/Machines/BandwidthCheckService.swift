import KennelModel
import Logging

/// Bandwidth self-tests: a running machine's TCP throughput measured each way against a
/// probe on its VLAN (a namespace its host sets up on its bridge with an address borrowed
/// from its pool) and reported beside its limits, as operation `verify-bandwidth`.
///
/// The test runs in the machine's turn (`MachineLocks`), so it never overlaps a limits
/// change, a stop or a delete of the same machine; the borrowed address goes back to the
/// pool when the operation ends, however it ends, and at start-up after a crash.
public struct BandwidthCheckService: Sendable {
    let store: any MachineStore
    let meter: any BandwidthMeter
    let launcher: OperationLauncher
    let environment: ServiceEnvironment
    let logger: Logger

    /// How long each direction may be measured, in seconds.
    public static let allowedSeconds = 1...30
    /// Each direction's length when the request does not say.
    public static let defaultSeconds = 5

    init(store: any MachineStore, meter: any BandwidthMeter, launcher: OperationLauncher, environment: ServiceEnvironment, logger: Logger) {
        self.store = store
        self.meter = meter
        self.launcher = launcher
        self.environment = environment
        self.logger = logger
    }

    /// Checks the request at once (422 for `seconds` out of range; 404; 403 for callers who
    /// may not change the machine; 409 when it does not run or its pool has no free address
    /// for the probe), records the operation with the probe's address taken from the pool
    /// in one transaction, then measures in the background.
    public func submit(named name: Hostname, seconds: Int = defaultSeconds, by requester: Requester = .system) async throws
        -> OperationHandle
    {
        guard Self.allowedSeconds.contains(seconds) else {
            throw KennelError.invalid(
                "seconds",
                "\(seconds) is out of range: each direction is measured for \(Self.allowedSeconds.lowerBound) to \(Self.allowedSeconds.upperBound) seconds"
            )
        }
        try await launcher.tracker.admit()
        let ticket = await launcher.locks.enqueue(name)
        let accepted: (operation: Int64, peer: IPv4Address)
        do {
            let now = environment.now()
            accepted = try await store.transaction { store in
                guard let machine = try store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
                try requester.principal.requireChange("machine", name.value, team: machine.team)
                guard machine.state == .running else {
                    throw KennelError(.conflict, "\(name) is \(machine.state.rawValue); only a running machine's bandwidth can be measured")
                }
                let operation = try store.beginOperation(
                    .verifyBandwidth, machine: name, team: machine.team, requestedBy: requester.user.value, state: .pending, at: now)
                guard let peer = try store.takeProbeAddress(in: machine.network.pool, for: operation) else {
                    throw KennelError(
                        .conflict,
                        "pool \(machine.network.pool) has no free address for the probe the test needs on VLAN \(machine.network.vlan); free one and try again"
                    )
                }
                return (operation, peer)
            }
        } catch {
            await launcher.locks.release(ticket)
            throw error
        }
        let (operation, peer) = accepted
        return await launcher.launch(.verifyBandwidth, id: operation, machine: name, ticket: ticket) { [self] in
            do {
                let machine = try await measure(name, operation: operation, peer: peer, seconds: seconds)
                try await giveBack(operation)
                return machine
            } catch {
                try await giveBack(operation)
                throw error
            }
        }
    }

    /// Runs the test as the operation's one step, keeps the report as its result, and
    /// finishes it; a failure finishes it failed with the host's words kept for admins.
    private func measure(_ name: Hostname, operation: Int64, peer: IPv4Address, seconds: Int) async throws -> Machine {
        guard let machine = try await store.machine(named: name) else { throw KennelError.notFound("machine", name.value) }
        guard machine.state == .running else {
            throw KennelError(.conflict, "\(name) is \(machine.state.rawValue); only a running machine's bandwidth can be measured")
        }
        guard let host = try await store.host(named: machine.host) else {
            throw KennelError(.internal, "machine \(name) is placed on unknown host \(machine.host)")
        }
        try await launcher.start(operation, steps: 1)
        let store = store
        let meter = meter
        let step = LifecycleStep(
            "measure \(seconds) s each way against probe \(peer)",
            run: {
                let sample = try await meter.measureBandwidth(of: machine, on: host, peer: peer, seconds: seconds)
                let report = BandwidthReport(of: machine, peer: peer, seconds: seconds, achieved: sample)
                try await store.transaction { store in try store.setResult(OperationResult(bandwidth: report), of: operation) }
            })
        let recorder = OperationRecorder(store: store, events: launcher.events, environment: environment, logger: logger)
        do {
            try await StepPipeline([step]).run { event in await recorder.record(event, of: operation, machine: machine) }
        } catch let failure as StepFailure {
            logger.error(
                "machine.verify-bandwidth-failed", metadata: ["machine": "\(name)", "operation": "\(operation)", "cause": "\(failure.cause)"])
            let refusal = (failure.cause as? KennelError).flatMap { $0.code == .conflict ? $0 : nil }
            let reason =
                refusal?.message ?? "measuring the bandwidth of \(name) on host \(machine.host) failed; the cause is in the operation (\(operation))"
            let code = refusal?.code ?? .hostFailure
            let finished = environment.now()
            try await store.transaction { store in
                try store.finishOperation(
                    operation, state: .failed, failure: OperationFailure(code: code, message: reason, cause: "\(failure.cause)"), at: finished)
            }
            throw KennelError(code, reason)
        }
        let finished = environment.now()
        let report = try await store.transaction { store in
            try store.finishOperation(operation, state: .succeeded, failure: nil, at: finished)
            return try store.operation(id: operation)?.result?.bandwidth
        }
        if let report {
            logger.info(
                "machine.bandwidth-verified",
                metadata: [
                    "machine": "\(name)", "egress_bps": "\(report.egress.achievedBitsPerSecond)",
                    "ingress_bps": "\(report.ingress.achievedBitsPerSecond)",
                ])
            await launcher.events.publish(
                "machine.bandwidth-verified", machine: name, team: machine.team, operation: operation,
                data: [
                    "egress_bps": "\(report.egress.achievedBitsPerSecond)", "ingress_bps": "\(report.ingress.achievedBitsPerSecond)",
                    "egress_ratio": report.egress.ratio.map { "\($0)" } ?? "", "ingress_ratio": report.ingress.ratio.map { "\($0)" } ?? "",
                ])
        }
        return machine
    }

    /// The probe's address back to the pool.
    private func giveBack(_ operation: Int64) async throws {
        try await store.transaction { store in try store.releaseProbeAddress(of: operation) }
    }

    /// At start-up, once every probe address is back in its pool (the tests of the
    /// previous process ended with it): removes the probes it left on the hosts, which
    /// would otherwise answer for addresses machines may get now. Hosts in parallel; one
    /// that cannot be reached is logged and skipped. Answers how many were removed.
    public func removeLeftoverProbes() async throws -> Int {
        let hosts = try await store.hosts()
        let meter = meter
        let logger = logger
        return await withTaskGroup(of: Int.self) { group in
            for host in hosts {
                group.addTask {
                    do {
                        let removed = try await meter.removeLeftoverProbes(on: host)
                        if removed > 0 { logger.warning("bandwidth.probes-removed", metadata: ["host": "\(host.name)", "probes": "\(removed)"]) }
                        return removed
                    } catch {
                        logger.warning("bandwidth.probe-sweep-failed", metadata: ["host": "\(host.name)", "cause": "\(error)"])
                        return 0
                    }
                }
            }
            return await group.reduce(0, +)
        }
    }

    /// The report of a finished test, with its operation (nil while it runs or when it failed).
    public func report(of operation: Int64) async throws -> BandwidthReport? {
        try await store.snapshot { store in try store.operation(id: operation)?.result?.bandwidth }
    }
}
