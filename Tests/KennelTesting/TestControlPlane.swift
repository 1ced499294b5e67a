import Foundation
import KennelControl
import KennelModel
import KennelStore
import Logging

/// A store, a runtime and the services over them, loaded with a site.
public struct TestControlPlane: Sendable {
    public let store: SQLiteMachineStore
    public let runtime: any HostRuntime
    public let services: KennelServices

    /// Services over an in-memory store (or `store`), `runtime` (a fake by default), and `site`.
    public static func make(
        site: Site = TestSite.make(), store: SQLiteMachineStore? = nil, runtime: (any HostRuntime)? = nil,
        clock: TestClock = TestClock(), images: any ImageCatalog = FixedImageCatalog.simulated, usageReader: (any UsageReader)? = nil,
        certificateAuthority: (any CertificateAuthority)? = nil, bastionFile: (@Sendable (String) async throws -> Void)? = nil
    ) async throws -> TestControlPlane {
        let store = try store ?? SQLiteMachineStore.inMemory()
        let runtime = runtime ?? FakeHostRuntime()
        let services = KennelServices(
            store: store, runtime: runtime, images: images, environment: .fixed(clock), usageReader: usageReader,
            certificateAuthority: certificateAuthority, bastionFile: bastionFile, logger: Logger.silent)
        try await services.inventory.apply(site)
        return TestControlPlane(store: store, runtime: runtime, services: services)
    }

    /// The state of every lease, by pool and address.
    public func leaseStates() async throws -> [LeaseState] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT state FROM lease ORDER BY pool, address").compactMap(LeaseState.init(rawValue:))
        }
    }

    /// Row counts of the tables a failed request must not touch.
    public func rowCounts() async throws -> (machines: Int, leases: Int, operations: Int) {
        try await store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM machine") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lease") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operation") ?? -1
            )
        }
    }
}
