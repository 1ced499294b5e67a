import ArgumentParser
import Foundation
import KennelHost
import KennelModel

/// `kennel node …`: the host side of Kennel, run by the control plane on each host
/// (locally, or over SSH), never by hand in normal operation.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Host-side steps (root filesystems, guest files, container checks), run by the control plane.",
        subcommands: [NodeCall.self, NodeServe.self]
    )
}

/// `kennel node call`: reads one JSON `NodeRequest` on standard input, carries it out and
/// prints the JSON of its verb's answer; a failure is printed on standard error with exit status 1.
struct NodeCall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Carry out one JSON request read from standard input.")

    @Option(help: ArgumentHelp("Directory holding one folder per machine.", valueName: "dir"))
    var machines: String = HostPaths().machinesRoot

    func run() async throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let request: NodeRequest
        do {
            request = try JSONDecoder().decode(NodeRequest.self, from: input)
        } catch {
            throw ValidationError("standard input is not a node request: \(error)")
        }
        do {
            let reply = try await NodeAgent(paths: HostPaths(machinesRoot: machines)).handle(request)
            print(String(decoding: reply, as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `kennel node serve`: a session: JSON request lines on standard input, each carried out
/// concurrently, each answer a JSON line on standard output; ends when the input closes.
struct NodeServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Carry out JSON request lines from standard input until it closes.")

    @Option(help: ArgumentHelp("Directory holding one folder per machine.", valueName: "dir"))
    var machines: String = HostPaths().machinesRoot

    func run() async throws {
        await NodeSessionServer.serve(agent: NodeAgent(paths: HostPaths(machinesRoot: machines)))
    }
}
