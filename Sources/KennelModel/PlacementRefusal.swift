/// Why hosts were refused for a request: how many each filter stopped, and each host's reason.
public struct RefusalDetails: Sendable, Equatable, Codable {
    /// One refused host.
    public struct HostReason: Sendable, Equatable, Codable {
        public let host: String
        /// The first filter the host failed (`state`, `zone`, `cpu`, …, or `spread`).
        public let filter: String
        /// The reason in words: `memory 30G free < 32G requested`.
        public let reason: String

        public init(host: String, filter: String, reason: String) {
            self.host = host
            self.filter = filter
            self.reason = reason
        }
    }

    /// Hosts stopped per filter.
    public let filtered: [String: Int]
    /// Every refused host with its reason, by host name.
    public let hosts: [HostReason]

    public init(filtered: [String: Int], hosts: [HostReason]) {
        self.filtered = filtered
        self.hosts = hosts
    }
}
