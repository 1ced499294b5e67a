import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// How an accepted operation is answered: 202 with `Location` and the operation, or,
/// with `wait=1`, the end of it.
struct OperationAnswer {
    let operations: OperationService

    func respond(
        _ handle: OperationHandle, wait: Bool, requester: Requester, done: (Machine?) async throws -> Response
    ) async throws -> Response {
        if wait { return try await done(try await handle.result()) }
        let operation = try await operations.operation(id: handle.id, by: requester)
        return JSONResponse.make(
            OperationView(operation, showCause: requester.principal.isAdmin), status: .accepted,
            headers: [.location: "/api/v1/operations/\(handle.id)"])
    }
}
