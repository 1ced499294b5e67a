import Hummingbird
import KennelControl

/// `ETag` on reads of machines, pools and hosts; `If-Match` on their changes.
enum EntityTags {
    /// The `If-Match` header, if given.
    static func ifMatch(in request: Request) -> String? { request.headers[.ifMatch] }

    /// `response` with the `ETag` of `value`.
    static func tagged(_ response: Response, _ value: some Encodable) -> Response {
        var response = response
        response.headers[.eTag] = EntityTag.of(value)
        return response
    }
}
