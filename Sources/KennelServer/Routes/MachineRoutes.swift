import Hummingbird
import KennelControl
import KennelModel

/// `/api/v1/machines`: create, list, show, delete.
struct MachineRoutes<Context: RequestContext> {
    let service: MachineService

    func register(on group: RouterGroup<Context>) {
        group.post("machines", use: create)
        group.get("machines", use: list)
        group.get("machines/:name", use: show)
        group.delete("machines/:name", use: delete)
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        let fields = try await RequestFieldsDecoding.fields(
            of: request, allowed: MachineRequest.fieldNames, repeatable: MachineRequest.repeatableFieldNames)
        let machine = try await service.create(MachineRequest(fields: fields))
        return JSONResponse.make(MachineView(machine), status: .created,
                                 headers: [.location: "/api/v1/machines/\(machine.name)"])
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        JSONResponse.make(MachineList(try await service.list().map(MachineView.init)))
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        JSONResponse.make(MachineView(try await service.machine(named: try context.pathName(of: "machine"))))
    }

    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        try await service.delete(named: try context.pathName(of: "machine"))
        return Response(status: .noContent)
    }
}
