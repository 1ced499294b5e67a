import ArgumentParser
import Foundation
import KennelControl
import KennelModel
import KennelWire
import NIOHTTP1

/// `--no-wait` for commands that start an operation.
struct OperationOptions: ParsableArguments {
    @Flag(name: .customLong("no-wait"), help: "Print the accepted operation and return at once.")
    var noWait = false
}

/// Follows an operation the API accepted (202) to its end: on a terminal a progress bar
/// of its steps, otherwise each step printed on standard error as it starts and ends
/// (nothing with `--json`); the end is the operation's result or its error.
struct OperationFollower {
    let options: APIOptions

    /// Sends the action; returns the finished operation (throws its error when it failed).
    func run(_ method: HTTPMethod, _ path: String, form: [(String, String)]?, noWait: Bool) async throws -> OperationView? {
        let client = options.client
        let answer = try await client.send(method, path, form: form)
        try APIClient.check(answer)
        guard answer.status == 202 else { return nil }
        var operation = try Self.decoder.decode(OperationView.self, from: answer.body)
        if noWait {
            Swift.print(options.json ? String(decoding: answer.body, as: UTF8.self) : "operation \(operation.id) accepted: \(operation.url)")
            return operation
        }
        var shown: [String] = []
        // On a terminal a bar of the steps; otherwise each step as a plain line.
        var bar = ProgressBar(label: "\(operation.kind) \(operation.target)", quiet: options.json)
        while true {
            if bar.terminal {
                bar.show(done: operation.stepsDone, total: operation.stepsTotal, detail: operation.currentStep)
            } else {
                report(operation, shown: &shown)
            }
            if let state = OperationState(rawValue: operation.state), state.isFinal { break }
            let (next, _) = try await client.decode(OperationView.self, .GET, "/api/v1/operations/\(operation.id)?wait=10s")
            operation = next
        }
        bar.finish()
        if let error = operation.error {
            throw error.kennelError
        }
        guard operation.state == OperationState.succeeded.rawValue else {
            throw KennelError(.conflict, "operation \(operation.id) was \(operation.state)")
        }
        return operation
    }

    /// Prints the steps that started or ended since the last report.
    private func report(_ operation: OperationView, shown: inout [String]) {
        guard !options.json else { return }
        for step in operation.steps {
            let line =
                step.outcome == "running"
                ? "  \(step.name)…" : "  \(step.name): \(step.outcome)" + (step.seconds.map { String(format: " (%.2f s)", $0) } ?? "")
            guard !shown.contains(line) else { continue }
            shown.append(line)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension APIOptions {
    /// Starts a machine operation, follows it, then prints the machine as it is.
    func followMachine(
        _ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil, machine: Hostname, noWait: Bool
    ) async throws {
        guard try await OperationFollower(options: self).run(method, path, form: form, noWait: noWait) != nil else { return }
        guard !noWait else { return }
        try await print(MachineView.self, .GET, "/api/v1/machines/\(machine)", text: MachineText.details)
    }
}
