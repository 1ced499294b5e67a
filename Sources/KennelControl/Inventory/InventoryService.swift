import KennelModel

/// Reads the host inventory and loads the site file (topology, hosts, pools).
public struct InventoryService: Sendable {
    private let store: any MachineStore

    /// Creates the service over a store.
    public init(store: any MachineStore) { self.store = store }

    /// Every host, by name.
    public func hosts() async throws -> [ComputeHost] { try await store.hosts() }

    /// Loads the site file: adds what the store does not know; known hosts and pools keep
    /// their current settings (only a host's URI is refreshed).
    public func apply(_ site: Site) async throws {
        try await store.transaction { store in try store.apply(site) }
    }
}
