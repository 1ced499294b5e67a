import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/machines`: create, list, show (with what runs inside), start, stop, restart,
/// delete.
struct MachineRoutes<Context: RequestContext> {
    let service: MachineService

    func register(on group: RouterGroup<Context>) {
        group.post("machines", use: create)
        group.get("machines", use: list)
        group.get("machines/:name", use: show)
        group.delete("machines/:name", use: delete)
        group.post("machines/:name/start", use: start)
        group.post("machines/:name/stop", use: stop)
        group.post("machines/:name/restart", use: restart)
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        let fields = try await RequestFieldsDecoding.fields(
            of: request, allowed: MachineRequest.fieldNames, repeatable: MachineRequest.repeatableFieldNames)
        let machine = try await service.create(MachineRequest(fields: fields))
        return JSONResponse.make(
            MachineView(machine), status: .created,
            headers: [.location: "/api/v1/machines/\(machine.name)"])
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        JSONResponse.make(MachineList(try await service.list().map { MachineView($0) }))
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        let machine = try await service.machine(named: try context.pathName(of: "machine"))
        return JSONResponse.make(MachineView(machine, health: await service.health(of: machine)))
    }

    @Sendable func start(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.start(named: $0) }
    }

    @Sendable func stop(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.stop(named: $0) }
    }

    @Sendable func restart(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.restart(named: $0) }
    }

    /// A lifecycle action takes no fields; it answers the machine as it is afterwards.
    private func lifecycle(_ request: Request, _ context: Context, _ action: (Hostname) async throws -> Machine) async throws -> Response {
        _ = try await RequestFieldsDecoding.fields(of: request, allowed: [])
        let machine = try await action(try context.pathName(of: "machine"))
        return JSONResponse.make(MachineView(machine, health: await service.health(of: machine)))
    }

    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        try await service.delete(named: try context.pathName(of: "machine"))
        return Response(status: .noContent)
    }
}
