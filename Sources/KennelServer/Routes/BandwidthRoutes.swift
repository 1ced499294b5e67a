import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `POST /api/v1/machines/{name}/verify-bandwidth`: a bandwidth self-test of a running
/// machine, as operation `verify-bandwidth` (202); with `wait=1`, 200 with the report
/// (each direction's limit beside what TCP achieved).
struct BandwidthRoutes {
    typealias Context = KennelRequestContext
    let service: BandwidthCheckService
    let answer: OperationAnswer

    func register(on group: RouterGroup<Context>) {
        group.post("machines/:name/verify-bandwidth", use: verify)
    }

    @Sendable func verify(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        let fields = try await RequestFieldsDecoding.fields(of: request, allowed: BandwidthCheckRequest.fieldNames.union(["wait"]))
        let wait = try WaitFlag.given(in: request, fields: fields)
        let asked = try BandwidthCheckRequest(fields: fields)
        let name = try context.pathName(of: "machine")
        let handle = try await service.submit(named: name, seconds: asked.seconds ?? BandwidthCheckService.defaultSeconds, by: requester)
        return try await answer.respond(handle, wait: wait, requester: requester) { _ in
            guard let report = try await service.report(of: handle.id) else {
                throw KennelError(.internal, "operation \(handle.id) ended without its report")
            }
            return JSONResponse.make(BandwidthReportView(machine: name, operation: handle.id, report: report))
        }
    }
}
