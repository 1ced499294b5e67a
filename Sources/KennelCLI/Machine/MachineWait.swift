import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel machine wait NAME --state running`: returns once the machine is in the state.
struct MachineWait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait until a machine is in a state (default running).",
        discussion: """
            kennel machine wait web-01 --state running --timeout 2m
            Exit status 0 once it is; 1 when the time runs out, or when it fails (or is deleted) while waited for a
            state other than failed. `--state deleted` waits until the machine is gone.
            """)

    @OptionGroup var options: APIOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "pending, provisioning, running, stopped, deleting, failed, imported, or deleted.") var state = "running"
    @Option(help: "How long to wait (default 5m): 90s, 5m, or seconds.", transform: parsed(Period.self)) var timeout: Period?
    @Option(name: .customLong("poll-interval"), help: .hidden) var pollMilliseconds = 500

    func validate() throws {
        guard state == "deleted" || MachineState(rawValue: state) != nil else {
            throw ValidationError(
                "'\(state)' is not a state (\((MachineState.allCases.map(\.rawValue) + ["deleted"]).joined(separator: ", ")))")
        }
    }

    func run() async throws {
        let waiting = timeout?.seconds ?? 300
        let deadline = ContinuousClock.now + .seconds(waiting)
        var last = "unknown"
        while true {
            let answer = try await options.client.send(.GET, "/api/v1/machines/\(name)")
            if answer.status == 404 {
                guard state == "deleted" else { throw KennelError.notFound("machine", name.value) }
                print(options.json ? #"{"name":"\#(name)","state":"deleted"}"# : "\(name) is deleted")
                return
            }
            try APIClient.check(answer)
            let machine = try OperationFollower.decoder.decode(MachineView.self, from: answer.body)
            last = machine.state
            if machine.state == state {
                print(options.json ? String(decoding: answer.body, as: UTF8.self) : "\(name) is \(state)")
                return
            }
            if machine.state == MachineState.failed.rawValue {
                throw KennelError(.conflict, "\(name) failed while waited for \(state): \(machine.failure ?? "no reason given")")
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(pollMilliseconds))
        }
        throw KennelError(.timedOut, "\(name) is \(last) after \(waiting) s, not \(state)")
    }
}
