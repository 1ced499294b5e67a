import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/machines`: create, list, show (with what runs inside), start, stop, restart,
/// resize, limits, delete. Changes answer 202 with their operation, or their end with `wait=1`.
struct MachineRoutes {
    typealias Context = KennelRequestContext
    let service: MachineService
    let answer: OperationAnswer

    func register(on group: RouterGroup<Context>) {
        group.post("machines", use: create)
        group.get("machines", use: list)
        group.get("machines/:name", use: show)
        group.delete("machines/:name", use: delete)
        group.post("machines/:name/start", use: start)
        group.post("machines/:name/stop", use: stop)
        group.post("machines/:name/restart", use: restart)
        group.post("machines/:name/resize", use: resize)
        group.post("machines/:name/limits", use: limits)
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        let fields = try await RequestFieldsDecoding.fields(
            of: request, allowed: MachineRequest.fieldNames.union(["wait"]), repeatable: MachineRequest.repeatableFieldNames)
        let wait = try WaitFlag.given(in: request, fields: fields)
        let handle = try await service.submitCreate(MachineRequest(fields: fields), by: requester)
        return try await answer.respond(handle, wait: wait, requester: requester) { machine in
            guard let machine else { throw KennelError(.internal, "create ended without its machine") }
            return EntityTags.tagged(
                JSONResponse.make(MachineView(machine), status: .created, headers: [.location: "/api/v1/machines/\(machine.name)"]), machine)
        }
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        JSONResponse.make(MachineList(try await service.list(by: try context.requester()).map { MachineView($0) }))
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        let machine = try await service.machine(named: try context.pathName(of: "machine"), by: try context.requester())
        return EntityTags.tagged(JSONResponse.make(MachineView(machine, health: await service.health(of: machine))), machine)
    }

    @Sendable func start(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.submitStart(named: $0, ifMatch: $1, by: $2) }
    }

    @Sendable func stop(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.submitStop(named: $0, ifMatch: $1, by: $2) }
    }

    @Sendable func restart(request: Request, context: Context) async throws -> Response {
        try await lifecycle(request, context) { try await service.submitRestart(named: $0, ifMatch: $1, by: $2) }
    }

    /// `disk=40G` or `disk=+10G`, `allow_shrink`, and the disk IO limits: checked at once,
    /// then the volume is resized as operation `resize`.
    @Sendable func resize(request: Request, context: Context) async throws -> Response {
        try await change(request, context, allowed: ResizeRequest.fieldNames) { fields, name, ifMatch, requester in
            try await service.submitResize(named: name, try ResizeRequest(fields: fields), ifMatch: ifMatch, by: requester)
        }
    }

    /// `cpus`, `memory`, `memory_soft`, `swap`, `ingress`, `egress`, the disk IO limits and
    /// `force`: checked at once, then applied live as operation `limits`.
    @Sendable func limits(request: Request, context: Context) async throws -> Response {
        try await change(request, context, allowed: Set(LimitsRequest.limitFieldNames + ["force"])) { fields, name, ifMatch, requester in
            try await service.submitLimits(named: name, try LimitsRequest(fields: fields), ifMatch: ifMatch, by: requester)
        }
    }

    /// A change of the machine's spec with its fields; waited for, it answers the machine
    /// as it is afterwards.
    private func change(
        _ request: Request, _ context: Context, allowed: Set<String>,
        _ submit: (RequestFields, Hostname, String?, Requester) async throws -> OperationHandle
    ) async throws -> Response {
        let requester = try context.requester()
        let fields = try await RequestFieldsDecoding.fields(of: request, allowed: allowed.union(["wait"]))
        let wait = try WaitFlag.given(in: request, fields: fields)
        let handle = try await submit(fields, try context.pathName(of: "machine"), EntityTags.ifMatch(in: request), requester)
        return try await answer.respond(handle, wait: wait, requester: requester) { machine in
            guard let machine else { throw KennelError(.internal, "operation ended without its machine") }
            return EntityTags.tagged(JSONResponse.make(MachineView(machine, health: await service.health(of: machine))), machine)
        }
    }

    /// A lifecycle action takes no fields but `wait`.
    private func lifecycle(
        _ request: Request, _ context: Context, _ action: (Hostname, String?, Requester) async throws -> OperationHandle
    ) async throws -> Response {
        try await change(request, context, allowed: []) { _, name, ifMatch, requester in try await action(name, ifMatch, requester) }
    }

    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        let wait = try WaitFlag.given(in: request, fields: nil)
        let handle = try await service.submitDelete(
            named: try context.pathName(of: "machine"), ifMatch: EntityTags.ifMatch(in: request), by: requester)
        return try await answer.respond(handle, wait: wait, requester: requester) { _ in Response(status: .noContent) }
    }
}
