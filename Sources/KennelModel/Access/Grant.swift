import Foundation

/// Access to machines beyond a user's teams: a user or a team may reach one machine or
/// every machine of a service, until an expiry (or for good), through the bastion and
/// into the machines.
public struct Grant: Sendable, Hashable, Codable {
    /// Who is given access.
    public enum Subject: Sendable, Hashable, Codable {
        case user(Hostname)
        case team(Hostname)
    }

    /// What they may reach.
    public enum Target: Sendable, Hashable, Codable {
        case machine(Hostname)
        case service(Label)
    }

    public let id: Int64
    public let subject: Subject
    public let target: Target
    /// When it ends; nil for never.
    public let expiresAt: Date?
    public let createdBy: Hostname
    public let createdAt: Date

    public init(id: Int64, subject: Subject, target: Target, expiresAt: Date?, createdBy: Hostname, createdAt: Date) {
        self.id = id
        self.subject = subject
        self.target = target
        self.expiresAt = expiresAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether it still holds at `now`.
    public func isActive(at now: Date) -> Bool { expiresAt.map { now < $0 } ?? true }

    /// Whether it ended in (`after`, `upTo`]: active at `after`, no longer at `upTo`.
    public func expired(after: Date, upTo: Date) -> Bool { isActive(at: after) && !isActive(at: upTo) }

    /// Whether it gives `user` (of `teams`) `machine` (of `service`).
    public func gives(_ user: Hostname, teams: Set<Hostname>, machine: Hostname, service: Label?) -> Bool {
        let subjectMatches =
            switch subject {
            case .user(let name): name == user
            case .team(let team): teams.contains(team)
            }
        let targetMatches =
            switch target {
            case .machine(let name): name == machine
            case .service(let name): name == service
            }
        return subjectMatches && targetMatches
    }
}

/// `POST /api/v1/grants`: `user` or `team`, `machine` or `service`, and `expires` (a
/// period from now, e.g. `7d`; absent for never).
public struct GrantRequest: Sendable, Equatable {
    public let subject: Grant.Subject
    public let target: Grant.Target
    public let expires: Period?

    public static let fieldNames: Set<String> = ["user", "team", "machine", "service", "expires"]

    public init(fields: RequestFields) throws(KennelError) {
        let user = try fields.optional("user", as: Hostname.self)
        let team = try fields.optional("team", as: Hostname.self)
        switch (user, team) {
        case (let user?, nil): subject = .user(user)
        case (nil, let team?): subject = .team(team)
        case (nil, nil): throw KennelError(.missingField, "give user or team: who is given access", field: "user")
        default: throw KennelError.invalid("team", "give user or team, not both")
        }
        let machine = try fields.optional("machine", as: Hostname.self)
        let service = try fields.optional("service", as: Label.self)
        switch (machine, service) {
        case (let machine?, nil): target = .machine(machine)
        case (nil, let service?): target = .service(service)
        case (nil, nil): throw KennelError(.missingField, "give machine or service: what they may reach", field: "machine")
        default: throw KennelError.invalid("service", "give machine or service, not both")
        }
        let expires = try fields.optional("expires", as: Period.self)
        if let expires, expires.seconds == 0 { throw KennelError.invalid("expires", "must be more than 0 (leave it out for no expiry)") }
        self.expires = expires
    }
}
