import Foundation
import KennelControl
import Logging
import ServiceLifecycle

/// The reconciler's loop as a service: a pass over running machines every `interval`
/// (a container that died is started again), until the service group shuts down.
struct ReconcileLoopService: Service {
    let reconciler: Reconciler
    /// Refreshed after each pass: machines created or deleted since reach the bastion.
    let bastion: BastionService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // shutting down
                }
                do {
                    let report = try await reconciler.reconcile(.running)
                    for machine in report.restored {
                        logger.notice("machine.restarted", metadata: ["machine": "\(machine)", "reason": "found stopped"])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("reconcile.pass-failed", metadata: ["error": "\(error)"])
                }
                await bastion.refresh()
            }
        }
    }
}

/// Access upkeep as a service: expired grants end on time, and machines created or
/// deleted reach the bastion at once, until the service group shuts down.
struct AccessUpkeepService: Service {
    let upkeep: AccessUpkeep

    func run() async throws {
        await cancelWhenGracefulShutdown { await upkeep.run() }
    }
}

/// Drains operations on shutdown: from the first signal no new operation is accepted
/// (503 `unavailable`), and those under way get up to `timeout` to finish; what is still
/// running then is marked "interrupted by restart" on the next start.
struct OperationDrainService: Service {
    let tracker: OperationTracker
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await tracker.stopAccepting()
        let running = await tracker.count
        if running > 0 { logger.notice("kennel.draining", metadata: ["operations": "\(running)", "timeout": "\(timeout)"]) }
        let left = await tracker.drain(timeout: timeout)
        if !left.isEmpty {
            logger.warning("kennel.drain-timeout", metadata: ["operations": "\(left.map(String.init).joined(separator: ","))"])
        }
    }
}

/// The event log's readers end with the service: on shutdown every `/api/v1/events`
/// stream is closed, so that the HTTP server's graceful shutdown does not wait on them.
struct EventLogService: Service {
    let log: EventLog
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let readers = await log.readers
        await log.closeAll()
        if readers > 0 { logger.notice("events.closed", metadata: ["readers": "\(readers)"]) }
    }
}
