import KennelModel
import Logging

/// The services the edges (HTTP API, CLI) call, built once over one store and runtime.
public struct KennelServices: Sendable {
    public let machines: MachineService
    /// Bandwidth self-tests of running machines.
    public let bandwidth: BandwidthCheckService
    public let operations: OperationService
    public let events: EventService
    public let access: AccessService
    /// Users' SSH keys.
    public let sshKeys: SSHKeyService
    /// Short-lived SSH user certificates.
    public let sshCertificates: SSHCertificateService
    /// Access beyond teams.
    public let grants: GrantService
    /// The bastion's configuration.
    public let bastion: BastionService
    /// Pushes who may log in to running machines when keys or membership change.
    public let accessSync: AccessSync
    /// Ends expired grants on time and follows machines into the bastion (run by `kennel serve`).
    public let accessUpkeep: AccessUpkeep
    public let audit: AuditService
    /// The console's sign-ins (in memory).
    public let sessions: ConsoleSessions
    public let inventory: InventoryService
    /// Inventory imports: plans and applies CMDB exports.
    public let imports: ImportService
    public let pools: PoolService
    public let hosts: HostService
    public let hostFacts: HostFactsService
    public let placement: PlacementService
    public let reconciler: Reconciler
    public let images: ImageService
    /// Per-machine usage for `/metrics`; nil without a reader (unit tests).
    public let usage: UsageCollector?

    /// Wires the services over `store`, `runtime` and the image catalog; machine requests and the reconciler
    /// share one set of per-machine locks. `usageReader` feeds the per-machine metrics.
    public init(
        store: any MachineStore, runtime: any HostRuntime, images: any ImageCatalog, timeouts: LifecycleTimeouts = LifecycleTimeouts(),
        environment: ServiceEnvironment = .live, uriPolicy: HostURIPolicy = .realHostsOnly, usageReader: (any UsageReader)? = nil,
        certificateAuthority: (any CertificateAuthority)? = nil, bastionFile: (@Sendable (String) async throws -> Void)? = nil, logger: Logger
    ) {
        let locks = MachineLocks()
        let tracker = OperationTracker()
        let log = EventLog(store: store, environment: environment, logger: logger)
        machines = MachineService(
            store: store, runtime: runtime, images: images, locks: locks, tracker: tracker, events: log, timeouts: timeouts,
            environment: environment, logger: logger)
        bandwidth = BandwidthCheckService(
            store: store, meter: runtime,
            launcher: OperationLauncher(store: store, locks: locks, tracker: tracker, events: log, environment: environment, logger: logger),
            environment: environment, logger: logger)
        operations = OperationService(store: store, tracker: tracker, events: log, environment: environment)
        events = EventService(store: store, log: log)
        bastion = BastionService(store: store, environment: environment, logger: logger, write: bastionFile)
        accessSync = AccessSync(store: store, writer: runtime, locks: locks, environment: environment, logger: logger, bastion: bastion)
        accessUpkeep = AccessUpkeep(
            store: store, sync: accessSync, bastion: bastion, events: log, environment: environment, logger: logger)
        grants = GrantService(store: store, sync: accessSync, upkeep: accessUpkeep, environment: environment)
        access = AccessService(store: store, environment: environment, logger: logger, sync: accessSync)
        sshKeys = SSHKeyService(store: store, sync: accessSync, environment: environment)
        sshCertificates = SSHCertificateService(store: store, authority: certificateAuthority, environment: environment, logger: logger)
        audit = AuditService(store: store)
        sessions = ConsoleSessions(environment: environment)
        inventory = InventoryService(store: store)
        imports = ImportService(store: store, machines: machines, environment: environment)
        pools = PoolService(store: store, environment: environment)
        hosts = HostService(store: store, uriPolicy: uriPolicy, environment: environment)
        hostFacts = HostFactsService(store: store, runtime: runtime, logger: logger)
        placement = PlacementService(store: store, environment: environment)
        reconciler = Reconciler(store: store, runtime: runtime, locks: locks, environment: environment, events: log, logger: logger)
        self.images = ImageService(store: store, runtime: runtime, catalog: images, logger: logger)
        usage = usageReader.map { UsageCollector(store: store, reader: $0, environment: environment, logger: logger) }
    }
}
