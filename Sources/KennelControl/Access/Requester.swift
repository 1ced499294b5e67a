import KennelModel

/// Who asked for a change and from where: the principal decides what is allowed, and
/// both go into the audit log.
public struct Requester: Sendable, Hashable {
    public let principal: Principal
    /// The client's address, when the request came over the network.
    public let source: String?

    public init(principal: Principal, source: String? = nil) {
        self.principal = principal
        self.source = source
    }

    /// Kennel itself: start-up, the reconciler, the site file.
    public static let system = Requester(principal: .system)

    public var user: Hostname { principal.user }
}
