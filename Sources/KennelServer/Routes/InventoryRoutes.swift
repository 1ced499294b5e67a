import Hummingbird
import KennelControl

/// `/api/v1/hosts`.
struct InventoryRoutes<Context: RequestContext> {
    let service: InventoryService

    struct HostList: Encodable {
        let hosts: [HostView]
        let count: Int
    }

    func register(on group: RouterGroup<Context>) {
        group.get("hosts") { _, _ in
            let hosts = try await service.hosts().map(HostView.init)
            return JSONResponse.make(HostList(hosts: hosts, count: hosts.count))
        }
    }
}
