/// Which host URIs this Kennel connects to, beyond their syntax (`LibvirtURI`): libvirt's
/// test driver opens whatever file its URI names, so `test:///…` URIs are allowed only on
/// simulated sites, and only for host descriptions Kennel itself wrote into its data
/// directory.
public struct HostURIPolicy: Sendable, Equatable {
    /// Where test-driver URIs may point.
    public enum SimulatedHosts: Sendable, Equatable {
        /// Not a simulated site: `test:` URIs are refused.
        case refused
        /// A simulated site: only `test:///DIRECTORY/NAME.xml`, NAME a host name.
        case filesIn(directory: String)
        /// Any `test:` URI (unit tests of the libvirt wrapper only).
        case any
    }

    /// Where test-driver URIs may point.
    public let simulatedHosts: SimulatedHosts

    /// Creates a policy.
    public init(simulatedHosts: SimulatedHosts) { self.simulatedHosts = simulatedHosts }

    /// Real hosts only: `lxc:///system` and `lxc+ssh://…`.
    public static let realHostsOnly = HostURIPolicy(simulatedHosts: .refused)

    /// Explains why `uri` may not be used, or returns quietly.
    public func check(_ uri: LibvirtURI) throws(InvalidValue) {
        guard uri.transport == .test else { return }
        switch simulatedHosts {
        case .refused:
            throw InvalidValue("test:// URIs are for simulated sites only; use lxc:///system or lxc+ssh://USER@HOST/system")
        case .any:
            return
        case .filesIn(let directory):
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            guard let path = uri.path, path.hasPrefix(prefix), path.hasSuffix(".xml") else {
                throw InvalidValue("a simulated host must be a file Kennel wrote: test://\(prefix)NAME.xml")
            }
            let name = String(path.dropFirst(prefix.count).dropLast(4))
            guard (try? Hostname(parsing: name)) != nil else {
                throw InvalidValue("a simulated host must be a file Kennel wrote: test://\(prefix)NAME.xml")
            }
        }
    }

    /// Parses `text` and checks it against the policy.
    public func uri(_ text: String) throws(InvalidValue) -> LibvirtURI {
        let uri = try LibvirtURI(parsing: text)
        try check(uri)
        return uri
    }

    /// Why a host's URI may not be used, or nil when it may.
    public func refusal(of uri: HostURI) -> String? {
        guard let parsed = uri.parsed else { return uri.refusal ?? "not a libvirt URI Kennel accepts" }
        do {
            try check(parsed)
            return nil
        } catch {
            return error.reason
        }
    }
}
