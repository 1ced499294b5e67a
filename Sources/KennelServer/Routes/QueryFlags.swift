import Hummingbird
import KennelModel
import KennelWire

/// A yes/no flag in the query: `force=1` on a DELETE (go ahead despite what would
/// otherwise refuse it), `wait=1` on an action (answer its end, not 202).
enum QueryFlag {
    /// Whether the request's query sets `name` (`1`/`true`); other values are 422.
    static func given(_ name: String, in request: Request) throws -> Bool {
        let values = request.uri.queryParameters.getAll(name).map { String($0) }
        guard let value = values.last else { return false }
        guard values.count == 1 else { throw KennelError.invalid(name, "given more than once") }
        do {
            return try YesNo(parsing: value).isSet
        } catch {
            throw KennelError.invalid(name, error.reason)
        }
    }
}

/// `wait=1` as a query parameter or a body field: answer an operation's end (201 or
/// 200 with the machine, 204 for a delete, or its error) instead of 202 at once.
enum WaitFlag {
    static func given(in request: Request, fields: RequestFields?) throws -> Bool {
        let inQuery = try QueryFlag.given("wait", in: request)
        let inBody = try fields?.optional("wait", as: YesNo.self)?.isSet ?? false
        return inQuery || inBody
    }
}
