import Crypto
import Foundation
import KennelGuest
import KennelModel

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The host's side of `SupervisorStatusServer`: each machine's password (kept in its
/// folder on the host, never in the guest), the guest file that turns the server on, and
/// the query — the host's own `curl` in the machine's network namespace only, so nothing
/// from the guest's disk runs on the host's behalf.
struct SupervisorRPC {
    let paths: HostPaths
    let runner: any CommandRunner

    /// Where the host keeps the machine's password (beside, not inside, its root filesystem).
    func secretPath(of machine: Hostname) -> String {
        paths.directory(of: machine) + "/supervisor.secret"
    }

    /// The machine's password, made once (32 random bytes, hex) and kept for its life.
    func ensureSecret(for machine: Hostname) throws -> String {
        if let secret = secret(of: machine) { return secret }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let path = secretPath(of: machine)
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KennelError(.hostFailure, "cannot write \(partial)")
        }
        do {
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            // Another identity write made it first: keep that one.
            guard let made = self.secret(of: machine) else { throw error }
            return made
        }
        return secret
    }

    /// The machine's password, nil before its first start with one.
    func secret(of machine: Hostname) -> String? {
        guard let data = FileManager.default.contents(atPath: secretPath(of: machine)),
            let text = String(data: data, encoding: .utf8), text.count == 64, text.allSatisfy(\.isHexDigit)
        else { return nil }
        return text
    }

    /// The guest file for `secret`: the server on, with the password's SHA-1.
    static func serverFile(secret: String) -> GuestFile {
        let digest = Insecure.SHA1.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
        return SupervisorStatusServer.file(passwordSHA1: digest)
    }

    /// The body of `supervisor.getAllProcessInfo`.
    static let request = """
        <?xml version="1.0"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params/></methodCall>
        """

    /// `nsenter` arguments: the host's curl, in the network namespace of `initPID` only.
    static func arguments(initPID: Int32) -> [String] {
        [
            "--net=/proc/\(initPID)/ns/net", "--", "curl", "--silent", "--show-error", "--max-time", "2", "--max-filesize", "1048576",
            "--config", "-", "--header", "Content-Type: text/xml", "--data-binary", request,
            "http://127.0.0.1:\(SupervisorStatusServer.port)/RPC2",
        ]
    }

    /// curl's configuration on its standard input: the credentials stay out of argv.
    static func curlConfig(secret: String) -> String {
        "user = \"\(SupervisorStatusServer.username):\(secret)\"\n"
    }

    /// The programs supervisord in the container of `initPID` reports; empty when the
    /// machine has no password yet or nothing answers (supervisord still starting).
    func programs(of machine: Hostname, initPID: Int32) async throws -> [ProgramStatus] {
        guard let secret = secret(of: machine) else { return [] }
        let result = try await runner.execute("nsenter", Self.arguments(initPID: initPID), input: Self.curlConfig(secret: secret))
        guard result.succeeded else { return [] }
        return Self.parse(result.output) ?? []
    }

    /// The programs in a `getAllProcessInfo` response, named as supervisorctl names them
    /// (`group:name` when they differ); nil for a fault or anything else.
    static func parse(_ xml: String) -> [ProgramStatus]? {
        // What answers is the guest's: supervisord never sends a DOCTYPE, entities or CDATA,
        // so nothing with a declaration is parsed at all (no entity expansion to exploit).
        guard !xml.contains("<!") else { return nil }
        let reader = StructReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        guard parser.parse(), !reader.sawFault else { return nil }
        return reader.structs.compactMap { fields in
            guard let name = fields["name"], let state = fields["statename"] else { return nil }
            let group = fields["group"] ?? name
            return ProgramStatus(name: group == name ? name : "\(group):\(name)", state: state, detail: fields["description"] ?? "")
        }
    }
}

/// Reads the flat structs of an XML-RPC response: each `<member>`'s name and the text of
/// its value, whatever its type.
private final class StructReader: NSObject, XMLParserDelegate {
    private(set) var structs: [[String: String]] = []
    private(set) var sawFault = false
    private var current: [String: String]?
    private var memberName: String?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch element {
        case "fault": sawFault = true
        case "struct": current = [:]
        case "member": memberName = nil
        default: break
        }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "name": memberName = text
        case "string", "int", "i4", "boolean", "double", "value":
            if let name = memberName, current?[name] == nil { current?[name] = text }
        case "struct":
            if let fields = current { structs.append(fields) }
            current = nil
        default: break
        }
        text = ""
    }
}
