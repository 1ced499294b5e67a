import Foundation
import KennelModel

/// One line of a `kennel node serve` session, each way: a request with its number, or the
/// answer to one (the verb's JSON, or the error text).
public struct NodeSessionMessage: Codable, Sendable {
    public let id: Int
    public let request: NodeRequest?
    public let reply: String?
    public let error: String?
    /// A refusal the host decided (`conflict`), with the request field it names: passed on
    /// as such instead of as a host failure.
    public let refusal: Refusal?

    /// A refusal's field, as the control plane's error names it.
    public struct Refusal: Codable, Sendable, Equatable {
        public let message: String
        public let field: String?
        /// `no_capacity`, or nil for `conflict` (what a kennel before codes sends).
        public var code: String? = nil

        /// The control plane's error for it.
        var error: KennelError {
            let code = code.map(KennelError.Code.init(rawValue:)).flatMap { KennelError.Code.hostRefusals.contains($0) ? $0 : nil } ?? .conflict
            return KennelError(code, message, field: field)
        }
    }

    public init(id: Int, request: NodeRequest? = nil, reply: String? = nil, error: String? = nil, refusal: Refusal? = nil) {
        self.id = id
        self.request = request
        self.reply = reply
        self.error = error
        self.refusal = refusal
    }

    /// The message as one line of JSON.
    public func line() throws -> Data { try JSONEncoder().encode(self) + Data("\n".utf8) }
}

/// A long-lived `ssh HOST kennel node serve`: requests go down its standard input as lines,
/// answers come back in any order, matched by number. Opening an SSH session costs about
/// 0.1 s and starting `kennel node call` as much again: a create makes five calls, so one
/// session per host saves about a second on every create over SSH.
///
/// A session that dies fails what it carries; the next request opens a new one.
actor NodeSession {
    private let executable: String
    private let arguments: [String]
    private let hostName: String
    /// The running ssh, kept alive as long as its session is.
    private var process: Process?
    private var input: FileHandle?
    private var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
    private var nextID = 0
    private var buffer = Data()

    /// A session with `executable arguments` (ssh, or a stand-in in tests).
    init(executable: String = "/usr/bin/ssh", arguments: [String], hostName: String) {
        self.executable = executable
        self.arguments = arguments
        self.hostName = hostName
    }

    /// Sends `request` and waits for its answer.
    func send(_ request: NodeRequest) async throws -> Data {
        let input = try ensureOpen()
        nextID += 1
        let id = nextID
        let line = try NodeSessionMessage(id: id, request: request).line()
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            do {
                try input.write(contentsOf: line)
            } catch {
                pending[id] = nil
                continuation.resume(throwing: NodeSessionLost())
            }
        }
    }

    private func ensureOpen() throws -> FileHandle {
        // Until the reader has seen the end of the old process's output, it is the session.
        if let input { return input }
        // A write to a session whose ssh has died must fail, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        // Chunks go through one stream to one reader, so they are taken in the order they
        // came; the end of the output (the process gone) closes the session after the last.
        let (chunks, sink) = AsyncStream.makeStream(of: Data.self)
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                sink.finish()
            } else {
                sink.yield(data)
            }
        }
        Task { [weak self] in
            for await chunk in chunks { await self?.received(chunk) }
            await self?.closed()
        }
        try process.run()
        self.process = process
        input = stdin.fileHandleForWriting
        buffer = Data()
        return stdin.fileHandleForWriting
    }

    private func received(_ data: Data) {
        buffer.append(data)
        while let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[buffer.startIndex..<end]
            buffer = Data(buffer[buffer.index(after: end)...])
            guard let message = try? JSONDecoder().decode(NodeSessionMessage.self, from: line),
                let continuation = pending.removeValue(forKey: message.id)
            else { continue }
            if let reply = message.reply {
                continuation.resume(returning: Data(reply.utf8))
            } else if let refusal = message.refusal {
                continuation.resume(throwing: refusal.error)
            } else {
                continuation.resume(throwing: KennelError(.hostFailure, "kennel node on \(hostName) failed: \(message.error ?? "no answer")"))
            }
        }
    }

    private func closed() {
        process = nil
        input = nil
        let failed = pending
        pending = [:]
        for continuation in failed.values {
            continuation.resume(throwing: NodeSessionLost())
        }
    }
}

/// The session ended (or never started) before it answered: the request may be sent
/// again another way, since every node verb is idempotent.
struct NodeSessionLost: Error {}

/// One session per SSH target, shared by every channel to it.
actor NodeSessions {
    static let shared = NodeSessions()
    private var sessions: [[String]: NodeSession] = [:]

    func session(arguments: [String], hostName: String) -> NodeSession {
        if let session = sessions[arguments] { return session }
        let session = NodeSession(arguments: arguments, hostName: hostName)
        sessions[arguments] = session
        return session
    }
}

/// The host side of a session (`kennel node serve`): reads request lines from standard
/// input until it closes, carries each out concurrently, and writes each answer as one
/// line on standard output.
public enum NodeSessionServer {
    public static func serve(agent: NodeAgent) async {
        let lines = AsyncStream<Data> { continuation in
            let reader = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(Data(line.utf8)) }
                continuation.finish()
            }
            reader.start()
        }
        let output = LineWriter()
        await withTaskGroup(of: Void.self) { group in
            for await line in lines {
                guard let message = try? JSONDecoder().decode(NodeSessionMessage.self, from: line), let request = message.request else {
                    // A request this kennel cannot read (a newer control plane's verb): say so.
                    if let id = try? JSONDecoder().decode(MessageNumber.self, from: line).id {
                        await output.write(NodeSessionMessage(id: id, error: "this kennel node cannot read that request; run kennel host prepare"))
                    }
                    continue
                }
                group.addTask {
                    let answer: NodeSessionMessage
                    do {
                        answer = NodeSessionMessage(id: message.id, reply: String(decoding: try await agent.handle(request), as: UTF8.self))
                    } catch let error as KennelError where KennelError.Code.hostRefusals.contains(error.code) {
                        let refusal = NodeSessionMessage.Refusal(
                            message: error.message, field: error.field, code: error.code == .conflict ? nil : error.code.rawValue)
                        answer = NodeSessionMessage(id: message.id, error: "\(error)", refusal: refusal)
                    } catch {
                        answer = NodeSessionMessage(id: message.id, error: "\(error)")
                    }
                    await output.write(answer)
                }
            }
        }
    }
}

/// Just the number of a message.
private struct MessageNumber: Decodable {
    let id: Int
}

/// Writes whole lines to standard output, one at a time.
private actor LineWriter {
    func write(_ message: NodeSessionMessage) {
        guard let line = try? message.line() else { return }
        FileHandle.standardOutput.write(line)
    }
}
