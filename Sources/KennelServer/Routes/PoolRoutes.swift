import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/pools`: create, list, show, update, delete, and a pool's leases.
struct PoolRoutes {
    typealias Context = KennelRequestContext
    let service: PoolService

    func register(on group: RouterGroup<Context>) {
        group.post("pools", use: create)
        group.get("pools", use: list)
        group.get("pools/:name", use: show)
        group.patch("pools/:name", use: update)
        group.delete("pools/:name", use: delete)
        group.get("pools/:name/leases", use: leases)
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        let fields = try await RequestFieldsDecoding.fields(of: request, allowed: PoolRequest.createFields)
        let details = try await service.create(try PoolRequest.pool(from: fields), by: try context.requester())
        return EntityTags.tagged(
            JSONResponse.make(PoolView(details), status: .created, headers: [.location: "/api/v1/pools/\(details.pool.name)"]), details.pool)
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let pools = try await service.list().map(PoolView.init)
        return JSONResponse.make(PoolList(pools: pools, count: pools.count))
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        let details = try await service.details(named: try context.pathName(of: "pool"))
        return EntityTags.tagged(JSONResponse.make(PoolView(details)), details.pool)
    }

    @Sendable func update(request: Request, context: Context) async throws -> Response {
        let name = try context.pathName(of: "pool")
        let fields = try await RequestFieldsDecoding.fields(of: request, allowed: PoolRequest.updateFields.union(PoolRequest.createFields))
        if let fixed = fields.given.subtracting(PoolRequest.updateFields).sorted().first {
            throw KennelError.invalid(fixed, "\(fixed) defines the pool's network and cannot change; create a new pool")
        }
        let details = try await service.update(named: name, with: fields, ifMatch: EntityTags.ifMatch(in: request), by: try context.requester())
        return EntityTags.tagged(JSONResponse.make(PoolView(details)), details.pool)
    }

    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        try await service.delete(
            named: try context.pathName(of: "pool"), force: try QueryFlag.given("force", in: request), ifMatch: EntityTags.ifMatch(in: request),
            by: try context.requester())
        return Response(status: .noContent)
    }

    @Sendable func leases(request: Request, context: Context) async throws -> Response {
        let name = try context.pathName(of: "pool")
        let leases = try await service.leases(named: name).map(LeaseView.init)
        return JSONResponse.make(LeaseList(pool: name.value, leases: leases, count: leases.count))
    }
}
