import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/operations`: list, show (long-poll with `?wait=30s`), cancel a pending one.
struct OperationRoutes {
    typealias Context = KennelRequestContext
    let service: OperationService

    /// The longest a long-poll holds a request.
    static let longestWait = 120

    func register(on group: RouterGroup<Context>) {
        group.get("operations") { request, context in
            let requester = try context.requester()
            let query = try OperationQuery(
                state: Query.value("state", in: request), machine: Query.value("machine", in: request),
                kind: Query.value("kind", in: request), limit: Query.value("limit", in: request, as: PageSize.self)?.value ?? 200)
            let operations = try await service.list(query, by: requester)
            return JSONResponse.make(OperationList(operations.map { OperationView($0, showCause: requester.principal.isAdmin) }))
        }
        group.get("operations/:id") { request, context in
            let requester = try context.requester()
            let id = try context.operationID()
            let wait: Period? = try Query.value("wait", in: request)
            if let wait, wait.seconds > Self.longestWait {
                throw KennelError.invalid("wait", "at most \(Self.longestWait)s")
            }
            let operation =
                if let wait {
                    try await service.wait(id: id, upTo: .seconds(wait.seconds), by: requester)
                } else {
                    try await service.operation(id: id, by: requester)
                }
            return JSONResponse.make(OperationView(operation, showCause: requester.principal.isAdmin))
        }
        group.delete("operations/:id") { _, context in
            let requester = try context.requester()
            let operation = try await service.cancel(id: try context.operationID(), by: requester)
            return JSONResponse.make(OperationView(operation, showCause: requester.principal.isAdmin))
        }
    }
}

extension KennelRequestContext {
    /// The `{id}` path parameter as an operation id; anything else names no operation.
    func operationID() throws -> Int64 {
        let text = try decodedPathParameter("id", of: "operation")
        guard let id = Int64(text), id > 0 else { throw KennelError.notFound("operation", text) }
        return id
    }
}

/// A `limit` query parameter: 1 to 1,000.
struct PageSize: ParsableValue {
    let value: Int

    init(parsing text: String) throws(InvalidValue) {
        guard let number = Int(text), (1...1000).contains(number) else { throw InvalidValue("must be a number from 1 to 1000") }
        value = number
    }

    var description: String { "\(value)" }
}

/// Typed query parameters: a bad value is 422 naming it, a repeated one too.
enum Query {
    static func value<Value: ParsableValue>(_ name: String, in request: Request, as type: Value.Type = Value.self) throws -> Value? {
        let values = request.uri.queryParameters.getAll(name).map { String($0) }
        guard let text = values.last, !text.isEmpty else { return nil }
        guard values.count == 1 else { throw KennelError.invalid(name, "given more than once") }
        do {
            return try Value(parsing: text)
        } catch {
            throw KennelError.invalid(name, error.reason)
        }
    }
}
