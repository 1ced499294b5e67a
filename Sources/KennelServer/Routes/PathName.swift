import Hummingbird
import KennelModel

extension RequestContext {
    /// The `{name}` path parameter as a name; a malformed one cannot name anything, so it
    /// is `not_found` for `kind`.
    func pathName(of kind: String) throws -> Hostname {
        let text = try parameters.require("name")
        do {
            return try Hostname(parsing: text)
        } catch {
            throw KennelError.notFound(kind, text)
        }
    }
}
