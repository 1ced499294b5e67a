import Logging

/// The services the edges (HTTP API, CLI) call, built once over one store and runtime.
public struct KennelServices: Sendable {
    public let machines: MachineService
    public let inventory: InventoryService
    public let reconciler: Reconciler

    /// Wires the services over `store` and `runtime`.
    public init(store: any MachineStore, runtime: any HostRuntime, environment: ServiceEnvironment = .live, logger: Logger) {
        machines = MachineService(store: store, runtime: runtime, environment: environment, logger: logger)
        inventory = InventoryService(store: store)
        reconciler = Reconciler(store: store, runtime: runtime, logger: logger)
    }
}
