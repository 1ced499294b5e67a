import Foundation
import KennelModel

/// Who may reach which machine, and the bastion's `authorized_keys` that enforces it: one
/// line per key of each user (and one for Kennel's CA naming the user's principal), each
/// allowing nothing but forwarding to port 22 of the machines that user may reach — their
/// teams' machines, those their grants name (directly or through a team, until they
/// expire), every machine for admins. A user who may reach nothing has no line at all.
public enum BastionPolicy {
    /// What one user may reach, and with which keys.
    public struct Reach: Sendable, Equatable {
        public let user: Hostname
        public let keys: [SSHPublicKey]
        public let addresses: [IPv4Address]
    }

    /// A machine as the policy sees it.
    public struct Target: Sendable, Equatable {
        public let name: Hostname
        public let ip: IPv4Address
        public let team: Hostname?
        public let service: Label?

        public init(name: Hostname, ip: IPv4Address, team: Hostname?, service: Label?) {
            self.name = name
            self.ip = ip
            self.team = team
            self.service = service
        }
    }

    /// Whether `user` may reach `machine` through the bastion at `now`: admins reach
    /// every machine, others those they may log in to.
    public static func mayReach(_ user: User, _ machine: Target, grants: [Grant], at now: Date) -> Bool {
        user.role == .admin || mayLogIn(user, machine, grants: grants, at: now)
    }

    /// Whether `machine` lets `user` in at `now`: a member of its team, or named by an
    /// active grant (directly or through a team). Admins reach every machine through the
    /// bastion but log in as members or with a grant like anyone.
    public static func mayLogIn(_ user: User, _ machine: Target, grants: [Grant], at now: Date) -> Bool {
        let teams = Set(user.teams)
        if let team = machine.team, teams.contains(team) { return true }
        return grants.contains { $0.isActive(at: now) && $0.gives(user.name, teams: teams, machine: machine.name, service: machine.service) }
    }

    /// Each user's reach, by name; users without keys are kept when `certificates` (their
    /// certificates still need a line).
    public static func reach(
        users: [User], keys: [Hostname: [SSHPublicKey]], machines: [Target], grants: [Grant], certificates: Bool, at now: Date
    ) -> [Reach] {
        users.sorted { $0.name.value < $1.name.value }.compactMap { user in
            let addresses = machines.filter { mayReach(user, $0, grants: grants, at: now) }.map(\.ip).sorted { $0.value < $1.value }
            let userKeys = keys[user.name] ?? []
            guard !addresses.isEmpty, !userKeys.isEmpty || certificates else { return nil }
            return Reach(user: user.name, keys: userKeys, addresses: addresses)
        }
    }

    /// The bastion's `authorized_keys`: sshd reads it at each connection, so writing it is
    /// all a change needs.
    public static func render(_ reach: [Reach], userCA: SSHPublicKey?) -> String {
        var lines = [
            "# Written by Kennel (kennel bastion config). Each line lets one user's key forward to port 22",
            "# of the machines that user may reach, and nothing else. Changes here are overwritten.",
        ]
        for entry in reach {
            let options =
                #"restrict,port-forwarding,command="/bin/false","# + entry.addresses.map { #"permitopen="\#($0):22""# }.joined(separator: ",")
            lines.append("# \(entry.user)")
            lines += entry.keys.map { "\(options) \($0.type) \($0.body) \(entry.user)" }
            if let userCA {
                lines.append(#"cert-authority,principals="user:\#(entry.user)","# + "\(options) \(userCA.type) \(userCA.body) kennel-user-ca")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
