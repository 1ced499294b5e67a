import Hummingbird
import KennelModel
import KennelWire

/// `force=1` in the query of a DELETE: go ahead despite what would otherwise refuse it.
enum ForceFlag {
    /// Whether the request's query says `force=1` (or `true`); other values are 422.
    static func given(in request: Request) throws -> Bool {
        let values = request.uri.queryParameters.getAll("force").map { String($0) }
        guard let value = values.last else { return false }
        guard values.count == 1 else { throw KennelError.invalid("force", "given more than once") }
        do {
            return try YesNo(parsing: value).isSet
        } catch {
            throw KennelError.invalid("force", error.reason)
        }
    }
}
