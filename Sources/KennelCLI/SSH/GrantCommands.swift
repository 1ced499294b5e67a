import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel grant create|list|delete`: access beyond teams.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Let a user or team reach a machine or a service's machines (admins).",
        subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant access.", discussion: "kennel grant create --user alice --service web --expires 7d")
        @OptionGroup var options: APIOptions
        @Option(help: "Who: a user.") var user: String?
        @Option(help: "Who: a team.") var team: String?
        @Option(help: "What: one machine.") var machine: String?
        @Option(help: "What: every machine of a service.") var service: String?
        @Option(help: "For how long from now, e.g. 7d (default: until removed).") var expires: String?

        func run() async throws {
            let form = [("user", user), ("team", team), ("machine", machine), ("service", service), ("expires", expires)]
                .compactMap { name, value in value.map { (name, $0) } }
            try await options.print(GrantView.self, .POST, "/api/v1/grants", form: form) { grant in
                "grant \(grant.id): \(grant.user.map { "user \($0)" } ?? "team \(grant.team ?? "?")") may reach "
                    + "\(grant.machine.map { "machine \($0)" } ?? "service \(grant.service ?? "?")")"
                    + (grant.expiresAt.map { " until \($0.formatted(.iso8601))" } ?? "") + "\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List grants.")
        @OptionGroup var options: APIOptions

        func run() async throws {
            try await options.print(KennelWire.GrantList.self, .GET, "/api/v1/grants") { list in
                TextTable.render(
                    headers: ["ID", "WHO", "REACHES", "EXPIRES"],
                    rows: list.grants.map {
                        [
                            "\($0.id)", $0.user.map { "user:\($0)" } ?? "team:\($0.team ?? "")",
                            $0.machine.map { "machine:\($0)" } ?? "service:\($0.service ?? "")", $0.expiresAt?.formatted(.iso8601) ?? "never",
                        ]
                    })
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a grant.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Grant id.") var id: Int64

        func run() async throws { try await options.delete("/api/v1/grants/\(id)", what: "grant \(id)") }
    }
}

/// `kennel bastion config`: the bastion's authorized_keys.
struct BastionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bastion", abstract: "The bastion's configuration (see Ops/bastion).", subcommands: [Config.self])

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the bastion's authorized_keys: each user may forward only to port 22 of the machines they may reach.",
            discussion: "kennel bastion config > /etc/kennel/bastion_keys   (or let kennel serve --bastion-keys keep it)")
        @OptionGroup var options: APIOptions

        func run() async throws {
            let answer = try await options.client.send(.GET, "/api/v1/bastion/config")
            try APIClient.check(answer)
            try TextAsJSON.print(String(decoding: answer.body, as: UTF8.self), key: "authorized_keys", json: options.json)
        }
    }
}
