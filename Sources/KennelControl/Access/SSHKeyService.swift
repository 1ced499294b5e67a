import Crypto
import Foundation
import KennelModel
import Logging

/// Users' SSH public keys: registered by the user (or an admin), checked the way sshd
/// reads them, named by fingerprint, audited, and pushed into their teams' running
/// machines within seconds (`AccessSync`).
public struct SSHKeyService: Sendable {
    private let store: any MachineStore
    private let sync: AccessSync
    private let environment: ServiceEnvironment

    /// The longest comment a registered key may carry.
    public static let longestComment = 256

    init(store: any MachineStore, sync: AccessSync, environment: ServiceEnvironment) {
        self.store = store
        self.sync = sync
        self.environment = environment
    }

    /// Registers `key` for `user`: 422 naming `key` for a type or size not accepted, a body
    /// that does not hold what its type says, or a comment over 256 characters; 409 for a
    /// key registered already (to anyone: a key names one person); 403 unless the caller is
    /// `user` or an admin.
    public func add(_ key: SSHPublicKey, to user: Hostname, by requester: Requester) async throws -> UserKey {
        try Self.requireSelfOrAdmin(user, requester, "registering SSH keys")
        let blob: SSHKeyBlob
        do {
            blob = try SSHKeyBlob(of: key)
        } catch {
            throw KennelError.invalid("key", error.reason)
        }
        if let comment = key.comment, comment.count > Self.longestComment {
            throw KennelError.invalid("key", "the comment is longer than \(Self.longestComment) characters")
        }
        let now = environment.now()
        let registered = UserKey(user: user, key: key, fingerprint: Self.fingerprint(of: blob.bytes), bits: blob.bits, createdAt: now)
        let teams = try await store.transaction { store in
            guard let owner = try store.user(named: user) else { throw KennelError.notFound("user", user.value) }
            try store.insertUserKey(registered)
            try AuditTrail(requester: requester, at: now).record("user.key-add", "user", user.value, after: AuditedKey(registered), in: store)
            return owner.teams
        }
        await sync.teamsChanged(Set(teams))
        return registered
    }

    /// `user`'s keys, oldest first (the user or an admin).
    public func keys(of user: Hostname, by requester: Requester) async throws -> [UserKey] {
        try Self.requireSelfOrAdmin(user, requester, "reading another user's SSH keys")
        return try await store.snapshot { store in
            guard try store.user(named: user) != nil else { throw KennelError.notFound("user", user.value) }
            return try store.userKeys(of: user)
        }
    }

    /// Removes `user`'s key with `fingerprint` (404 when they have none such); their teams'
    /// running machines stop accepting it within seconds.
    public func remove(fingerprint: String, of user: Hostname, by requester: Requester) async throws {
        try Self.requireSelfOrAdmin(user, requester, "removing SSH keys")
        let now = environment.now()
        let teams = try await store.transaction { store in
            guard let owner = try store.user(named: user) else { throw KennelError.notFound("user", user.value) }
            guard let key = try store.userKeys(of: user).first(where: { $0.fingerprint == fingerprint }),
                try store.deleteUserKey(of: user, fingerprint: fingerprint)
            else { throw KennelError.notFound("key of user \(user)", fingerprint) }
            try AuditTrail(requester: requester, at: now).record("user.key-remove", "user", user.value, before: AuditedKey(key), in: store)
            return owner.teams
        }
        await sync.teamsChanged(Set(teams))
    }

    /// The SSH host keys of the machines the caller may read or has an active grant to, as
    /// `known_hosts` lines (`NAME,IP TYPE KEY`): pinned before the first login, so nobody
    /// answers a trust-on-first-use prompt. A deleted machine's keys are gone with it.
    public func knownHosts(by requester: Requester) async throws -> String {
        let (machines, grants) = try await store.snapshot { store in (try store.allHostKeys(), try store.allGrants()) }
        let principal = requester.principal
        let now = environment.now()
        let granted = grants.filter { $0.isActive(at: now) }
        return machines.filter { machine in
            principal.canRead(team: machine.team)
                || granted.contains { $0.gives(principal.user, teams: principal.teams, machine: machine.machine, service: machine.service) }
        }
        .flatMap { machine in machine.keys.map { "\(machine.machine),\(machine.ip) \($0.type) \($0.body)\n" } }.joined()
    }

    /// `SHA256:` and the unpadded base64 of the SHA-256 of a key's decoded body, as
    /// `ssh-keygen -l` prints it.
    public static func fingerprint(of body: Data) -> String {
        "SHA256:" + Data(SHA256.hash(data: body)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    private static func requireSelfOrAdmin(_ user: Hostname, _ requester: Requester, _ what: String) throws {
        guard requester.user == user || requester.principal.isAdmin else {
            throw KennelError(.forbidden, "\(what) of \(user) is for \(user) or an admin")
        }
    }
}

/// What the audit log keeps of a key: all of it is public.
struct AuditedKey: Encodable {
    let fingerprint: String
    let key: String
    let bits: Int

    init(_ key: UserKey) {
        fingerprint = key.fingerprint
        self.key = key.key.description
        bits = key.bits
    }
}
