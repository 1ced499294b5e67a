import KennelModel

/// A host as the API shows it.
public struct HostView: Codable, Sendable, Equatable {
    public let name: String
    public let uri: String
    public let idc: String
    public let zone: String
    public let rack: String
    public let state: String
    public let cpus: Int
    public let memory: String
    public let disk: String
    public let bridge: String
    public let vlans: [Int]

    /// The view of `host`. Its URI is shown without user or password parts.
    public init(_ host: ComputeHost) {
        name = host.name.value
        uri = HostView.redacted(host.uri)
        idc = host.location.idc.value
        zone = host.location.zone.value
        rack = host.location.rack.value
        state = host.state.rawValue
        cpus = host.capacity.cpus
        memory = host.capacity.memory.description
        disk = host.capacity.disk.description
        bridge = host.bridge
        vlans = host.vlans.map(\.value)
    }

    /// Drops any password from `scheme://user:password@host/...`.
    static func redacted(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://"), let at = uri[schemeEnd.upperBound...].firstIndex(of: "@") else { return uri }
        let userInfo = uri[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return uri }
        return String(uri[..<colon]) + ":***" + String(uri[at...])
    }
}

