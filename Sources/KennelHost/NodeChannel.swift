import Foundation
import KennelModel

/// How the control plane reaches `kennel node call` on a host.
public protocol NodeChannel: Sendable {
    /// Sends `request` and returns the JSON of its verb's answer; throws `host_failure`
    /// with what the node printed when it fails.
    func send(_ request: NodeRequest) async throws -> Data
    /// The host's name, for messages.
    var hostName: String { get }
    /// Copies a local file to the same path on the host (images for remote hosts); nil
    /// when the host shares this machine's files.
    var copier: (any FileCopier)? { get }
}

/// Copies files onto a host.
public protocol FileCopier: Sendable {
    func copy(_ localPath: String, to remotePath: String) async throws
}

extension NodeChannel {
    /// Sends `request` and decodes its verb's answer as `Reply`.
    public func call<Reply: Decodable>(_ request: NodeRequest, answering: Reply.Type) async throws -> Reply {
        try NodeReply.decode(Reply.self, from: try await send(request), host: hostName)
    }
}

enum NodeCodec {
    static func encode(_ request: NodeRequest) throws -> String {
        String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
    }
}

/// This machine's host, served in-process: the same `NodeAgent` that `kennel node call`
/// runs, without starting a process per step.
public struct InProcessNodeChannel: NodeChannel {
    private let agent: NodeAgent

    public init(agent: NodeAgent = NodeAgent()) {
        self.agent = agent
    }

    public var copier: (any FileCopier)? { nil }

    public var hostName: String { "this host" }

    public func send(_ request: NodeRequest) async throws -> Data {
        try await agent.handle(request)
    }
}

/// The path of the running kennel executable (what `kennel host prepare` installs on hosts).
public enum KennelExecutable {
    public static var path: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// Where and how to reach a host over SSH, read from its libvirt URI
/// (`lxc+ssh://root@HOST[:PORT]/system[?keyfile=PATH][&no_verify=1]`), so that Kennel's
/// own steps use the same user, key and host-key policy as libvirt does.
public struct SSHTarget: Sendable, Equatable {
    public let user: String?
    public let host: String
    public let port: Int?
    public let keyFile: String?
    public let verifyHostKey: Bool

    /// The target of an `lxc+ssh://` URI; nil for other URIs and for text that is not an
    /// allowed `LibvirtURI`.
    public init?(libvirtURI: String) {
        guard let uri = try? LibvirtURI(parsing: libvirtURI) else { return nil }
        self.init(uri: uri)
    }

    /// The target of an `lxc+ssh://` URI; nil for other transports.
    public init?(uri: LibvirtURI) {
        guard uri.transport == .ssh, let host = uri.host else { return nil }
        user = uri.user
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = uri.port
        keyFile = uri.keyFile
        verifyHostKey = uri.verifyHostKey
    }

    /// Options shared by ssh and scp; connections are multiplexed, so that the many small
    /// node calls of one machine pay for one handshake.
    var commonOptions: [String] {
        var options = [
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
            "-o", "ControlMaster=auto", "-o", "ControlPath=/tmp/.kennel-ssh-%C", "-o", "ControlPersist=60",
        ]
        if let keyFile { options += ["-i", keyFile] }
        if !verifyHostKey { options += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"] }
        return options
    }

    /// `ssh` arguments that run `command` (no shell metacharacters) on the host.
    public func sshArguments(running command: [String]) -> [String] {
        var arguments = commonOptions
        if let port { arguments += ["-p", "\(port)"] }
        if let user { arguments += ["-l", user] }
        return arguments + [host, "--"] + command
    }

    /// `scp` arguments that copy `local` to `remote` on the host.
    func scpArguments(copying local: String, to remote: String) -> [String] {
        var arguments = ["-q"] + commonOptions
        if let port { arguments += ["-P", "\(port)"] }
        return arguments + [local, "\(user.map { "\($0)@" } ?? "")\(host):\(remote)"]
    }
}

/// A remote host's `kennel node`, over SSH: a long-lived session, or one call per request.
public struct SSHNodeChannel: NodeChannel, FileCopier {
    private let target: SSHTarget
    private let remoteExecutable: String
    private let runner: any CommandRunner

    public init(target: SSHTarget, remoteExecutable: String = "/usr/local/bin/kennel", runner: any CommandRunner = LocalCommandRunner()) {
        self.target = target
        self.remoteExecutable = remoteExecutable
        self.runner = runner
    }

    public var copier: (any FileCopier)? { self }

    public var hostName: String { target.host }

    /// Sends `request` through the host's long-lived session (`kennel node serve`); when
    /// the session cannot carry it (closed, or a host whose kennel has no `serve`), through
    /// a one-off `kennel node call`.
    public func send(_ request: NodeRequest) async throws -> Data {
        let session = await NodeSessions.shared.session(
            arguments: target.sshArguments(running: [remoteExecutable, "node", "serve"]), hostName: hostName)
        do {
            return try await session.send(request)
        } catch is NodeSessionLost {
            let arguments = target.sshArguments(running: [remoteExecutable, "node", "call"])
            return Data(try await runner.run("ssh", arguments, input: try NodeCodec.encode(request)).utf8)
        }
    }

    public func copy(_ localPath: String, to remotePath: String) async throws {
        _ = try await runner.run("scp", target.scpArguments(copying: localPath, to: remotePath))
    }
}
