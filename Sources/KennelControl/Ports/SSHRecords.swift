import KennelModel

/// Users' SSH public keys and machines' SSH host keys.
public protocol SSHRecords {
    /// Registers a key; a fingerprint already registered (to anyone) is `conflict`.
    func insertUserKey(_ key: UserKey) throws
    /// `user`'s keys, oldest first.
    func userKeys(of user: Hostname) throws -> [UserKey]
    /// Removes `user`'s key with `fingerprint`; false when they have none such.
    func deleteUserKey(of user: Hostname, fingerprint: String) throws -> Bool
    /// The keys of every member of `team`, by user then age.
    func memberKeys(of team: Hostname) throws -> [UserKey]
    /// Replaces the machine's published host keys.
    func setHostKeys(_ keys: [SSHPublicKey], of machine: Hostname) throws
    /// Every machine's host keys with its address, by machine name.
    func allHostKeys() throws -> [MachineHostKeys]
}

/// A machine's SSH host public keys and the address they answer on.
public struct MachineHostKeys: Sendable, Equatable {
    public let machine: Hostname
    public let ip: IPv4Address
    public let team: Hostname?
    public let keys: [SSHPublicKey]

    public init(machine: Hostname, ip: IPv4Address, team: Hostname?, keys: [SSHPublicKey]) {
        self.machine = machine
        self.ip = ip
        self.team = team
        self.keys = keys
    }
}
