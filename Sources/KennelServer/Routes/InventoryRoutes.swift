import Hummingbird
import KennelControl

/// `/api/v1/hosts` and `/api/v1/pools`.
struct InventoryRoutes<Context: RequestContext> {
    let service: InventoryService

    struct HostList: Encodable {
        let hosts: [HostView]
        let count: Int
    }

    struct PoolList: Encodable {
        let pools: [PoolView]
        let count: Int
    }

    func register(on group: RouterGroup<Context>) {
        group.get("hosts") { _, _ in
            let hosts = try await service.hosts().map(HostView.init)
            return JSONResponse.make(HostList(hosts: hosts, count: hosts.count))
        }
        group.get("pools") { _, _ in
            let pools = try await service.pools().map(PoolView.init)
            return JSONResponse.make(PoolList(pools: pools, count: pools.count))
        }
    }
}
