/// A host's libvirt URI as Kennel holds it: parsed once into a `LibvirtURI` (transport,
/// user, host, port, key file) when Kennel accepts it, or — for a URI stored by an older
/// version that Kennel now refuses — its text and the reason, so that start-up can report
/// it and the runtime can refuse it without re-parsing.
public struct HostURI: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The URI as written.
    public let text: String
    /// The parsed URI; nil when Kennel refuses it.
    public let parsed: LibvirtURI?
    /// Why Kennel refuses it; nil when it is accepted.
    public let refusal: String?

    /// Parses `text`; a URI Kennel refuses is kept with the reason.
    public init(_ text: String) {
        self.text = text
        do {
            parsed = try LibvirtURI(parsing: text)
            refusal = nil
        } catch {
            parsed = nil
            refusal = error.reason
        }
    }

    /// An accepted URI.
    public init(_ uri: LibvirtURI) {
        text = uri.value
        parsed = uri
        refusal = nil
    }

    /// How the URI reaches its host; nil when it is refused.
    public var transport: LibvirtURI.Transport? { parsed?.transport }

    public var description: String { text }

    public static func == (lhs: HostURI, rhs: HostURI) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
