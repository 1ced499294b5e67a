import Hummingbird
import KennelModel
import KennelWire

extension RequestContext {
    /// A path parameter, percent-decoded once, here at the edge: `a%2Fb` is the label
    /// `a/b`, `a%25b` is `a%b`, and `+` stays a plus (it means a space only in forms).
    /// Malformed percent-encoding cannot name anything, so it is `not_found` for `kind`.
    public func decodedPathParameter(_ key: String, of kind: String) throws -> String {
        let raw = try parameters.require(key)
        guard let text = raw.removingPercentEncoding else { throw KennelError.notFound(kind, raw) }
        return text
    }

    /// The `{name}` path parameter as a name; a malformed one cannot name anything, so it
    /// is `not_found` for `kind`.
    public func pathName(of kind: String) throws -> Hostname {
        let text = try decodedPathParameter("name", of: kind)
        do {
            return try Hostname(parsing: text)
        } catch {
            throw KennelError.notFound(kind, text)
        }
    }
}
