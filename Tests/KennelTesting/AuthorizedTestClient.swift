import Foundation
import HTTPTypes
import HummingbirdTesting
import KennelControl
import KennelModel
import NIOCore

/// A test client that sends a bearer token with every request. With `waitingForOperations`
/// (the default, for tests written before operations were asynchronous), POSTs and
/// DELETEs under `/api/v1/machines` carry `wait=1`, so they answer the end of their
/// operation; the operation tests turn it off to see the 202.
public struct AuthorizedTestClient: TestClientProtocol {
    public let base: any TestClientProtocol
    public let token: String?
    public let waitingForOperations: Bool

    public init(_ base: any TestClientProtocol, token: String?, waitingForOperations: Bool = true) {
        self.base = base
        self.token = token
        self.waitingForOperations = waitingForOperations
    }

    public var port: Int? { base.port }

    public func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        var uri = uri
        if waitingForOperations, uri.hasPrefix("/api/v1/machines"), method == .post || method == .delete, !uri.contains("wait=") {
            uri += (uri.contains("?") ? "&" : "?") + "wait=1"
        }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    /// The same client acting with another token.
    public func with(token: String?, waitingForOperations: Bool? = nil) -> AuthorizedTestClient {
        AuthorizedTestClient(base, token: token, waitingForOperations: waitingForOperations ?? self.waitingForOperations)
    }
}

extension TestControlPlane {
    /// A token of the first admin (made on first use, as `kennel serve` does).
    public func adminToken() async throws -> String {
        if let secret = try await services.access.bootstrap() { return secret.text }
        return try await services.access.createToken(for: AccessService.firstAdmin, name: Label(verified: "test"), lifetime: nil, by: .system)
            .secret.text
    }

    /// `client` acting as the first admin.
    public func authorized(_ client: any TestClientProtocol, waitingForOperations: Bool = true) async throws -> AuthorizedTestClient {
        AuthorizedTestClient(client, token: try await adminToken(), waitingForOperations: waitingForOperations)
    }

    /// Makes a user with `role` in `teams` (made if new) and returns a token of theirs.
    public func token(forNew user: String, role: Role, teams: [String] = []) async throws -> String {
        let name = try Hostname(parsing: user)
        _ = try await services.access.createUser(named: name, role: role, by: .system)
        for team in teams {
            let teamName = try Hostname(parsing: team)
            if try await services.access.teams(by: .system).contains(where: { $0.name == teamName }) == false {
                _ = try await services.access.createTeam(named: teamName, by: .system)
            }
            _ = try await services.access.addMember(name, to: teamName, by: .system)
        }
        return try await services.access.createToken(for: name, name: Label(verified: "test"), lifetime: nil, by: .system).secret.text
    }
}
