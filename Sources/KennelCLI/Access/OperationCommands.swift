import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel operation …`
struct OperationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operation", abstract: "List, show, wait for and cancel operations.",
        subcommands: [OperationListCommand.self, OperationShow.self, OperationCancel.self])

    struct OperationListCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List operations, newest first.")
        @OptionGroup var options: APIOptions
        @Option(help: "pending, running, succeeded, failed or cancelled.") var state: String?
        @Option(help: "Only this machine's.", transform: parsed(Hostname.self)) var machine: Hostname?
        @Option(help: "create, delete, start, stop, restart.") var kind: String?

        func run() async throws {
            let query = [("state", state), ("machine", machine?.value), ("kind", kind)].compactMap { name, value in
                value.map { "\(name)=\(FormBody.escape($0))" }
            }
            let path = "/api/v1/operations" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            try await options.print(OperationList.self, .GET, path) { list in
                TextTable.render(
                    headers: ["ID", "KIND", "MACHINE", "STATE", "STEPS", "BY", "CREATED"],
                    rows: list.operations.map {
                        [
                            "\($0.id)", $0.kind, $0.target, $0.state, "\($0.stepsDone)/\($0.stepsTotal)", $0.requestedBy,
                            $0.createdAt.formatted(.iso8601),
                        ]
                    })
            }
        }
    }

    struct OperationShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an operation and its steps.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Operation id.") var id: Int64
        @Option(help: "Wait up to this long for it to end, e.g. 30s.", transform: parsed(Period.self)) var wait: Period?

        func run() async throws {
            let path = "/api/v1/operations/\(id)" + (wait.map { "?wait=\($0)" } ?? "")
            try await options.print(OperationView.self, .GET, path, text: OperationText.details)
        }
    }

    struct OperationCancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an operation that has not started.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Operation id.") var id: Int64

        func run() async throws {
            try await options.print(OperationView.self, .DELETE, "/api/v1/operations/\(id)", text: OperationText.details)
        }
    }
}

/// `kennel audit [--machine NAME] [--user NAME] [--since T] [--until T]`
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit log: who changed what, when.", subcommands: [AuditListCommand.self],
        defaultSubcommand: AuditListCommand.self)
}

/// `kennel audit list` (also plain `kennel audit`).
struct AuditListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List audit entries, newest last.")
    @OptionGroup var options: APIOptions
    @Option(help: "Only changes of this machine.", transform: parsed(Hostname.self)) var machine: Hostname?
    @Option(help: "Only changes by this user.", transform: parsed(Hostname.self)) var user: Hostname?
    @Option(help: "From this time (2026-12-02 or 2026-12-02T10:00:00Z).") var since: String?
    @Option(help: "Before this time.") var until: String?

    func run() async throws {
        let query = [("machine", machine?.value), ("user", user?.value), ("since", since), ("until", until)].compactMap { name, value in
            value.map { "\(name)=\(FormBody.escape($0))" }
        }
        let path = "/api/v1/audit" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        try await options.print(AuditList.self, .GET, path) { list in
            TextTable.render(
                headers: ["ID", "AT", "USER", "ACTION", "TARGET", "OPERATION"],
                rows: list.entries.map {
                    ["\($0.id)", $0.at.formatted(.iso8601), $0.user, $0.action, $0.target, $0.operation.map { "\($0)" } ?? "-"]
                })
        }
    }
}

/// Operations as text.
enum OperationText {
    static func details(_ operation: OperationView) -> String {
        var lines = [
            "operation \(operation.id): \(operation.kind) \(operation.target), \(operation.state) (\(operation.stepsDone)/\(operation.stepsTotal) steps), by \(operation.requestedBy)"
        ]
        for step in operation.steps {
            lines.append("  \(step.name): \(step.outcome)" + (step.seconds.map { String(format: " (%.2f s)", $0) } ?? ""))
        }
        if let error = operation.error { lines.append("  error: \(error.code): \(error.message)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
