import Hummingbird
import KennelControl
import KennelModel
import NIOCore

/// The request context of every route: who is asking (set by `AuthenticationMiddleware`)
/// and from which address.
public struct KennelRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated principal; nil before authentication and on open paths.
    public var principal: Principal?
    /// The console session the request came with (console pages only).
    public var consoleSession: ConsoleSessions.Session?
    /// The client's IP address.
    public let source: String?
    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        self.source = source.channel.remoteAddress?.ipAddress
    }

    /// The requester, or 401 when the request is not authenticated.
    public func requester() throws -> Requester {
        guard let principal else { throw KennelError(.unauthorized, "this endpoint needs a token: send 'Authorization: Bearer TOKEN'") }
        return Requester(principal: principal, source: source)
    }
}
