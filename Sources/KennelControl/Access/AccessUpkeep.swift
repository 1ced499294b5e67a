import Foundation
import KennelModel
import Logging

/// Keeps access in step with the clock and the inventory, beside the pushes a change
/// makes at once: a grant that expires is taken out of the machines it concerned and out
/// of the bastion at its expiry (not at the next change), and a machine created or
/// deleted reaches the bastion's configuration as soon as its event is published.
public actor AccessUpkeep {
    private let store: any MachineStore
    private let sync: AccessSync
    private let bastion: BastionService
    private let events: EventLog
    private let environment: ServiceEnvironment
    private let logger: Logger
    /// Grants that expired at or before this were handled; the first pass takes every
    /// expired grant (Kennel may have been down when one expired).
    private var handledUntil = Date.distantPast
    private var sleeper: Task<Void, Never>?

    /// The longest the expiry watch sleeps between looks.
    static let longestSleep: TimeInterval = 300

    init(
        store: any MachineStore, sync: AccessSync, bastion: BastionService, events: EventLog, environment: ServiceEnvironment,
        logger: Logger
    ) {
        self.store = store
        self.sync = sync
        self.bastion = bastion
        self.events = events
        self.environment = environment
        self.logger = logger
    }

    /// Runs both watches until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchExpiries() }
            group.addTask { await self.followInventory() }
        }
    }

    /// A grant was made or changed: look at the expiries again now.
    func grantsChanged() {
        sleeper?.cancel()
    }

    /// Pushes access to the machines of every grant that expired since the last look, and
    /// answers when the next grant expires (nil when none will).
    @discardableResult
    public func expireDue() async -> Date? {
        let now = environment.now()
        let grants: [Grant]
        do {
            grants = try await store.snapshot { store in try store.allGrants() }
        } catch {
            logger.error("access.expiry-check-failed", metadata: ["cause": "\(error)"])
            return now.addingTimeInterval(Self.longestSleep)
        }
        let due = grants.filter { $0.expired(after: handledUntil, upTo: now) }
        handledUntil = now
        if !due.isEmpty {
            logger.info("access.grants-expired", metadata: ["grants": "\(due.map { String($0.id) }.joined(separator: ","))"])
            let targets = due.map(\.target)
            await sync.machinesChanged { machine in targets.contains { GrantService.concerns($0)(machine) } }
        }
        return grants.compactMap(\.expiresAt).filter { $0 > now }.min()
    }

    private func watchExpiries() async {
        while !Task.isCancelled {
            let next = await expireDue()
            let wait = min(Self.longestSleep, max(0.05, (next ?? .distantFuture).timeIntervalSince(environment.now())))
            let sleeper = Task<Void, Never> { _ = try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            self.sleeper = sleeper
            await withTaskCancellationHandler {
                await sleeper.value
            } onCancel: {
                sleeper.cancel()
            }
        }
    }

    /// Refreshes the bastion after each `machine.created` or `machine.deleted` event.
    private func followInventory() async {
        let (id, rings) = await events.subscribe()
        let filter = EventFilter(types: ["machine.created", "machine.deleted"])
        var seen: Int64 = (try? await store.snapshot { store in try store.lastEventID() }) ?? 0
        for await _ in rings {
            do {
                let (last, changed) = try await store.snapshot { [seen] store in
                    (try store.lastEventID(), try !store.events(after: seen, matching: filter, limit: 1).isEmpty)
                }
                seen = last
                if changed { await bastion.refresh() }
            } catch {
                logger.error("access.inventory-follow-failed", metadata: ["cause": "\(error)"])
            }
        }
        await events.unsubscribe(id)
    }
}
