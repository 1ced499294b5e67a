import Foundation
import KennelModel
import KennelPlacement

/// Explains placement without placing, and reports how services are spread.
public struct PlacementService: Sendable {
    private let store: any MachineStore
    private let environment: ServiceEnvironment

    /// Creates the service over a store.
    public init(store: any MachineStore, environment: ServiceEnvironment = .live) {
        self.store = store
        self.environment = environment
    }

    /// What placement would decide for `request`, in a transaction that is rolled back:
    /// nothing is written, not even the release of expired quarantine.
    public func explain(_ request: MachineRequest) async throws -> PlacementReport {
        let claim = MachineClaim(request: request, uuid: UUID(), now: environment.now())
        return try await store.dryRun { store in
            let plan: MachineClaim.Plan
            do {
                plan = try claim.plan(store)
            } catch let error as KennelError {
                return PlacementReport.refused(error)
            }
            return PlacementReport.explain(plan.request, among: plan.candidates)
        }
    }

    /// Where `service`'s machines stand, rack by rack.
    public func spread(of service: Label) async throws -> SpreadReport {
        try await store.snapshot { store in
            SpreadReport(service: service, machines: try store.locations(ofService: service), racks: try store.racks())
        }
    }
}
