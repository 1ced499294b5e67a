import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// `kennel login`: checks a token against the API and stores it for that API.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Store an API token for this API (in ~/.config/kennel/tokens.json, mode 0600).",
        discussion: "Without --token, reads the token from standard input (one line).")

    @OptionGroup var options: APIOptions

    func run() async throws {
        var options = options
        if options.token == nil {
            FileHandle.standardError.write(Data("token: ".utf8))
            options.token = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
        }
        guard let token = options.token, !token.isEmpty else { throw ValidationError("give a token with --token or on standard input") }
        let (user, _) = try await options.client.decode(UserView.self, .GET, "/api/v1/whoami")
        let api = try APIOptions.baseURL(options.api)
        try Credentials().store(token, for: api)
        print("logged in to \(api) as \(user.name) (\(user.role))")
    }
}

/// `kennel logout`: forgets the token stored for this API.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Forget the token stored for this API.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        let api = try APIOptions.baseURL(options.api)
        try Credentials().store(nil, for: api)
        print("logged out of \(api)")
    }
}

/// `kennel whoami`
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the user the token stands for.")

    @OptionGroup var options: APIOptions

    func run() async throws {
        try await options.print(UserView.self, .GET, "/api/v1/whoami") { user in
            "\(user.name) (\(user.role))" + (user.teams.isEmpty ? "" : ", teams: \(user.teams.joined(separator: ", "))") + "\n"
        }
    }
}
