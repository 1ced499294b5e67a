import KennelModel

/// Users' SSH public keys and machines' SSH host keys.
public protocol SSHRecords {
    /// Registers a key; a fingerprint already registered (to anyone) is `conflict`.
    func insertUserKey(_ key: UserKey) throws
    /// `user`'s keys, oldest first.
    func userKeys(of user: Hostname) throws -> [UserKey]
    /// Every user's keys (oldest first), by user; users without keys are absent.
    func allUserKeys() throws -> [Hostname: [SSHPublicKey]]
    /// The keys of `users`, in their order, each user's oldest first (one query).
    func userKeys(of users: [Hostname]) throws -> [SSHPublicKey]
    /// Removes `user`'s key with `fingerprint`; false when they have none such.
    func deleteUserKey(of user: Hostname, fingerprint: String) throws -> Bool
    /// Replaces the machine's published host keys.
    func setHostKeys(_ keys: [SSHPublicKey], of machine: Hostname) throws
    /// Every machine with an address, as the bastion policy sees it, by name.
    func reachTargets() throws -> [BastionPolicy.Target]
    /// Every machine's host keys with its address, by machine name.
    func allHostKeys() throws -> [MachineHostKeys]
    /// Records a grant (its id is assigned); answers it.
    func insertGrant(_ grant: Grant) throws -> Grant
    /// Every grant, newest first.
    func allGrants() throws -> [Grant]
    /// Removes a grant; false when there is none such.
    func deleteGrant(id: Int64) throws -> Bool
    /// The SSH user CA's public key machines are told to trust, once Kennel has one.
    func userCAKey() throws -> SSHPublicKey?
    func setUserCAKey(_ key: SSHPublicKey) throws
}

/// A machine's SSH host public keys and the address they answer on.
public struct MachineHostKeys: Sendable, Equatable {
    public let machine: Hostname
    public let ip: IPv4Address
    public let team: Hostname?
    public let service: Label?
    public let keys: [SSHPublicKey]

    public init(machine: Hostname, ip: IPv4Address, team: Hostname?, service: Label?, keys: [SSHPublicKey]) {
        self.machine = machine
        self.ip = ip
        self.team = team
        self.service = service
        self.keys = keys
    }
}
