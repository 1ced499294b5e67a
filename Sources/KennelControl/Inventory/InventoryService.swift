import KennelModel

/// Reads the host inventory and loads the site file (topology, hosts, pools).
public struct InventoryService: Sendable {
    private let store: any MachineStore

    /// Creates the service over a store.
    public init(store: any MachineStore) { self.store = store }

    /// Every host, by name.
    public func hosts() async throws -> [ComputeHost] { try await store.hosts() }

    /// Writes the site's topology, hosts and pools (adding new ones, updating known ones).
    public func apply(_ site: Site) async throws {
        try await store.transaction { store in try store.apply(site) }
    }
}
