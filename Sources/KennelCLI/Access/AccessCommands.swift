import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel user …`
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, change and remove users (admins).",
        subcommands: [UserCreate.self, UserList.self, UserRole.self, UserDelete.self])

    struct UserCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Add a user.")
        @OptionGroup var options: APIOptions
        @Argument(help: "User name.", transform: parsed(Hostname.self)) var name: Hostname
        @Option(help: "admin, operator or viewer.", transform: parsed(Role.self)) var role: Role

        func run() async throws {
            try await options.print(UserView.self, .POST, "/api/v1/users", form: [("name", name.value), ("role", role.rawValue)]) {
                "user \($0.name) (\($0.role)) created\n"
            }
        }
    }

    struct UserList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var options: APIOptions

        func run() async throws {
            try await options.print(KennelWire.UserList.self, .GET, "/api/v1/users") { list in
                TextTable.render(headers: ["NAME", "ROLE", "TEAMS"], rows: list.users.map { [$0.name, $0.role, $0.teams.joined(separator: ",")] })
            }
        }
    }

    struct UserRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change a user's role.")
        @OptionGroup var options: APIOptions
        @Argument(help: "User name.", transform: parsed(Hostname.self)) var name: Hostname
        @Argument(help: "admin, operator or viewer.", transform: parsed(Role.self)) var role: Role

        func run() async throws {
            try await options.print(UserView.self, .PATCH, "/api/v1/users/\(name)", form: [("role", role.rawValue)]) {
                "user \($0.name) is now \($0.role)\n"
            }
        }
    }

    struct UserDelete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a user and their tokens.")
        @OptionGroup var options: APIOptions
        @Argument(help: "User name.", transform: parsed(Hostname.self)) var name: Hostname

        func run() async throws { try await options.delete("/api/v1/users/\(name)", what: "user \(name)") }
    }
}

/// `kennel team …`
struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Add, list and remove teams and their members.",
        subcommands: [TeamCreate.self, TeamList.self, TeamAdd.self, TeamRemove.self, TeamDelete.self])

    struct TeamCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Add a team.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Team name.", transform: parsed(Hostname.self)) var name: Hostname

        func run() async throws {
            try await options.print(TeamView.self, .POST, "/api/v1/teams", form: [("name", name.value)]) { "team \($0.name) created\n" }
        }
    }

    struct TeamList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List teams.")
        @OptionGroup var options: APIOptions

        func run() async throws {
            try await options.print(KennelWire.TeamList.self, .GET, "/api/v1/teams") { list in
                TextTable.render(headers: ["NAME", "MEMBERS"], rows: list.teams.map { [$0.name, $0.members.joined(separator: ",")] })
            }
        }
    }

    struct TeamAdd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user to a team.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Team name.", transform: parsed(Hostname.self)) var team: Hostname
        @Argument(help: "User name.", transform: parsed(Hostname.self)) var user: Hostname

        func run() async throws {
            try await options.print(TeamView.self, .POST, "/api/v1/teams/\(team)/members", form: [("user", user.value)]) {
                "team \($0.name): \($0.members.joined(separator: ", "))\n"
            }
        }
    }

    struct TeamRemove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user from a team.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Team name.", transform: parsed(Hostname.self)) var team: Hostname
        @Argument(help: "User name.", transform: parsed(Hostname.self)) var user: Hostname

        func run() async throws {
            try await options.print(TeamView.self, .DELETE, "/api/v1/teams/\(team)/members/\(user)") {
                "team \($0.name): \($0.members.joined(separator: ", "))\n"
            }
        }
    }

    struct TeamDelete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a team that owns no machines.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Team name.", transform: parsed(Hostname.self)) var name: Hostname

        func run() async throws { try await options.delete("/api/v1/teams/\(name)", what: "team \(name)") }
    }
}

/// `kennel token …`
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Make, list and revoke API tokens.", subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])

    struct TokenCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token; its secret is shown once.")
        @OptionGroup var options: APIOptions
        @Argument(help: "A name for the token.", transform: parsed(Label.self)) var name: Label
        @Option(help: "For another user (admins).", transform: parsed(Hostname.self)) var user: Hostname?
        @Option(help: "Lifetime, e.g. 30d (default 90d, at most 366d).", transform: parsed(Period.self)) var expires: Period?

        func run() async throws {
            var form = [("name", name.value)]
            if let user { form.append(("user", user.value)) }
            if let expires { form.append(("expires", expires.description)) }
            try await options.print(TokenView.self, .POST, "/api/v1/tokens", form: form) { token in
                "token \(token.id) for \(token.user), expires \(token.expiresAt.formatted(.iso8601)); shown once:\n\(token.secret ?? "")\n"
            }
        }
    }

    struct TokenList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (yours, or a user's, or all for admins).")
        @OptionGroup var options: APIOptions
        @Option(help: "Another user's tokens (admins).", transform: parsed(Hostname.self)) var user: Hostname?
        @Flag(help: "Everyone's tokens (admins).") var all = false

        func run() async throws {
            let query = all ? "?all=1" : user.map { "?user=\($0)" } ?? ""
            try await options.print(KennelWire.TokenList.self, .GET, "/api/v1/tokens\(query)") { list in
                TextTable.render(
                    headers: ["ID", "USER", "NAME", "EXPIRES", "REVOKED"],
                    rows: list.tokens.map {
                        ["\($0.id)", $0.user, $0.name, $0.expiresAt.formatted(.iso8601), $0.revokedAt.map { $0.formatted(.iso8601) } ?? "-"]
                    })
            }
        }
    }

    struct TokenRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token.")
        @OptionGroup var options: APIOptions
        @Argument(help: "Token id.") var id: Int64

        func run() async throws {
            try await options.print(TokenView.self, .DELETE, "/api/v1/tokens/\(id)") { "token \($0.id) revoked\n" }
        }
    }
}
