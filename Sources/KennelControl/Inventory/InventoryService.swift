import KennelModel

/// Reads and loads the site inventory: topology, hosts and pools.
public struct InventoryService: Sendable {
    private let store: any MachineStore

    /// Creates the service over a store.
    public init(store: any MachineStore) { self.store = store }

    /// Every host, by name.
    public func hosts() async throws -> [ComputeHost] { try await store.hosts() }

    /// Every pool, by name.
    public func pools() async throws -> [Pool] { try await store.pools() }

    /// Writes the site's topology, hosts and pools (adding new ones, updating known ones).
    public func apply(_ site: Site) async throws {
        try await store.transaction { store in try store.apply(site) }
    }
}
