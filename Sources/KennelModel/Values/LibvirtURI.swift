/// A libvirt connection URI that Kennel agrees to open, parsed into its parts.
///
/// Only three forms exist, because a libvirt URI is a program to run as much as an
/// address (the SSH transport's `command=` names the binary it executes, `socket=` and
/// `netcat=` what it connects to, `test:///FILE` reads any file):
/// - `lxc:///system` — this machine's libvirtd;
/// - `lxc+ssh://[USER@]HOST[:PORT]/system[?keyfile=/ABS/PATH][&no_verify=1]` — a remote
///   host over SSH, with the only two parameters Kennel itself understands;
/// - `test:///ABS/PATH.xml` — libvirt's test driver (whether a given file is allowed is
///   `HostURIPolicy`'s call).
/// Every other transport (`tls`, `tcp`, `unix`, `ext`, `libssh`, …), every other query
/// parameter, percent-escapes, fragments and user information beyond a plain user name
/// are refused.
public struct LibvirtURI: ParsableValue, Hashable, Codable {
    /// How the URI reaches its host.
    public enum Transport: String, Sendable, Hashable, Codable {
        /// `lxc:///system`: this machine.
        case local
        /// `lxc+ssh://…/system`: another machine over SSH.
        case ssh
        /// `test:///…`: libvirt's in-process simulator.
        case test
    }

    /// The longest URI accepted.
    public static let maximumLength = 512

    /// The URI text, exactly as it will be handed to libvirt.
    public let value: String
    /// How it reaches its host.
    public let transport: Transport
    /// SSH: the login user, if given.
    public let user: String?
    /// SSH: the host name or address.
    public let host: String?
    /// SSH: the port, if given.
    public let port: Int?
    /// SSH: the private key file (`keyfile=`), if given.
    public let keyFile: String?
    /// SSH: false when `no_verify=1` turns host-key checking off.
    public let verifyHostKey: Bool
    /// test: the host description file.
    public let path: String?

    /// This machine's libvirtd.
    public static let localSystem = LibvirtURI(local: ())

    private init(local: Void) {
        value = "lxc:///system"
        transport = .local
        user = nil
        host = nil
        port = nil
        keyFile = nil
        verifyHostKey = true
        path = nil
    }

    public init(parsing text: String) throws(InvalidValue) {
        let shown = Echo.short(text)
        let usage = "use lxc:///system, lxc+ssh://USER@HOST[:PORT]/system or, for simulated sites, test:///PATH"
        guard !text.isEmpty, text.utf8.count <= Self.maximumLength else {
            throw InvalidValue("must be 1–\(Self.maximumLength) characters")
        }
        guard let schemeEnd = text.range(of: "://") else { throw InvalidValue("'\(shown)' is not a libvirt URI; \(usage)") }
        let scheme = String(text[..<schemeEnd.lowerBound])
        guard text.unicodeScalars.allSatisfy(Self.isAllowedCharacter) else {
            throw InvalidValue("'\(shown)' contains characters a host URI may not have (spaces, quotes, '%', '#', ';', '\\' or non-ASCII)")
        }
        let rest = text[schemeEnd.upperBound...]
        let (main, query) = Self.splitQuery(rest)
        let slash = main.firstIndex(of: "/") ?? main.endIndex
        let authority = String(main[..<slash])
        let path = String(main[slash...])
        switch scheme {
        case "lxc":
            guard authority.isEmpty, path == "/system", query == nil else {
                throw InvalidValue("a local host is exactly lxc:///system, not '\(shown)'")
            }
            self = .localSystem
        case "lxc+ssh":
            let parameters = try Self.parameters(query)
            let (user, host, port) = try Self.sshAuthority(authority)
            guard path == "/system" else { throw InvalidValue("an SSH host URI ends in /system, as lxc+ssh://root@h1/system") }
            value = text
            transport = .ssh
            self.user = user
            self.host = host
            self.port = port
            keyFile = parameters["keyfile"]
            verifyHostKey = parameters["no_verify"] != "1"
            self.path = nil
        case "test":
            guard authority.isEmpty, query == nil, path.hasPrefix("/"), !path.split(separator: "/").contains(".."),
                path.count > 1
            else { throw InvalidValue("a simulated host is test:///ABSOLUTE/PATH.xml, not '\(shown)'") }
            value = text
            transport = .test
            user = nil
            host = nil
            port = nil
            keyFile = nil
            verifyHostKey = true
            self.path = path
        default:
            throw InvalidValue("the transport '\(Echo.short(scheme, limit: 24))' is not supported; \(usage)")
        }
    }

    public var description: String { value }

    /// Printable ASCII without space, quotes, `%` (no escapes to hide a parameter in),
    /// `#`, `;`, `\`, `<`, `>`, `` ` ``, `|`, `$`, `{`, `}`.
    private static func isAllowedCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value > 0x20, scalar.value < 0x7F else { return false }
        return !"\"'%#;\\<>`|${}^".unicodeScalars.contains(scalar)
    }

    private static func splitQuery(_ text: Substring) -> (Substring, Substring?) {
        guard let mark = text.firstIndex(of: "?") else { return (text, nil) }
        return (text[..<mark], text[text.index(after: mark)...])
    }

    /// The query parameters Kennel understands: `keyfile` (an absolute path of plain
    /// characters) and `no_verify` (0 or 1), each at most once.
    private static func parameters(_ query: Substring?) throws(InvalidValue) -> [String: String] {
        guard let query else { return [:] }
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pieces[0])
            guard pieces.count == 2 else { throw InvalidValue("query parameter '\(Echo.short(name, limit: 24))' has no value") }
            let value = String(pieces[1])
            guard parameters[name] == nil else { throw InvalidValue("query parameter '\(name)' is given twice") }
            switch name {
            case "keyfile":
                guard value.hasPrefix("/"), value.count > 1, !value.split(separator: "/").contains(".."),
                    value.unicodeScalars.allSatisfy({ isPathCharacter($0) })
                else { throw InvalidValue("keyfile must be an absolute path of letters, digits, '.', '_', '-' and '/'") }
            case "no_verify":
                guard value == "0" || value == "1" else { throw InvalidValue("no_verify must be 0 or 1") }
            default:
                throw InvalidValue("query parameter '\(Echo.short(name, limit: 24))' is not allowed; only keyfile and no_verify are")
            }
            parameters[name] = value
        }
        return parameters
    }

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "/": true
        default: false
        }
    }

    /// `[USER@]HOST[:PORT]`: a login name, a DNS name or IPv4 address (or a bracketed IPv6
    /// address), never anything ssh could read as an option.
    private static func sshAuthority(_ authority: String) throws(InvalidValue) -> (String?, String, Int?) {
        var rest = Substring(authority)
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            let name = rest[..<at]
            guard let first = name.first, first.isLowercase || first == "_", name.count <= 32,
                name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0) })
            else { throw InvalidValue("the SSH user must be a plain login name (a-z, 0-9, '_', '.', '-')") }
            user = String(name)
            rest = rest[rest.index(after: at)...]
        }
        var port: Int?
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw InvalidValue("an IPv6 host must be in brackets, [2001:db8::1]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }) else {
                throw InvalidValue("'\(Echo.short(String(host), limit: 40))' is not an IPv6 address")
            }
            rest = rest[rest.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw InvalidValue("expected :PORT after the IPv6 address") }
                port = try sshPort(rest.dropFirst())
            }
            return (user, "[\(host)]", port)
        }
        if let colon = rest.firstIndex(of: ":") {
            port = try sshPort(rest[rest.index(after: colon)...])
            host = rest[..<colon]
        } else {
            host = rest
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard !host.isEmpty, host.count <= 253,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy {
                        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    }
            })
        else { throw InvalidValue("the SSH host must be a DNS name or an IP address, not '\(Echo.short(String(host), limit: 40))'") }
        return (user, String(host), port)
    }

    private static func sshPort(_ text: Substring) throws(InvalidValue) -> Int {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCIIDigit), let port = Int(text), (1...65535).contains(port) else {
            throw InvalidValue("the SSH port must be 1–65535")
        }
        return port
    }

    public init(from decoder: any Decoder) throws { self = try Self.decodeParsing(from: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
