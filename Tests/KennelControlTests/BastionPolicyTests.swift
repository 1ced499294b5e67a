import Foundation
import KennelControl
import KennelModel
import KennelTesting
import Testing

@Suite("Bastion policy: who may forward to which machine")
struct BastionPolicyTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func user(_ name: String, role: Role = .operator, teams: [String] = []) -> User {
        User(name: TestSite.value(name), role: role, teams: teams.map { TestSite.value($0) }, createdAt: now)
    }

    private func machine(_ name: String, _ ip: String, team: String? = nil, service: String? = nil) -> BastionPolicy.Target {
        BastionPolicy.Target(
            name: TestSite.value(name), ip: TestSite.value(ip), team: team.map { TestSite.value($0) }, service: service.map { TestSite.value($0) })
    }

    private func grant(_ subject: Grant.Subject, _ target: Grant.Target, expiresIn seconds: TimeInterval?) -> Grant {
        Grant(
            id: 1, subject: subject, target: target, expiresAt: seconds.map { now.addingTimeInterval($0) }, createdBy: TestSite.value("admin"),
            createdAt: now)
    }

    private var machines: [BastionPolicy.Target] {
        [machine("web-01", "10.100.0.2", team: "web"), machine("db-01", "10.100.0.3", service: "db"), machine("db-02", "10.100.0.4", service: "db")]
    }

    @Test("golden: team machines, a service grant, an admin everywhere, a user with no reach left out; the CA line names the principal")
    func golden() throws {
        let users = [
            user("alice", teams: ["web"]), user("bob"), user("carol"), user("root-ops", role: .admin),
        ]
        let keys: [Hostname: [SSHPublicKey]] = [
            TestSite.value("alice"): [try SSHPublicKey(parsing: TestKeys.ed25519)],
            TestSite.value("bob"): [try SSHPublicKey(parsing: TestKeys.ecdsa256)],
            TestSite.value("carol"): [try SSHPublicKey(parsing: TestKeys.rsa3072)],
        ]
        let grants = [grant(.user(TestSite.value("bob")), .service(TestSite.value("db")), expiresIn: 3600)]
        let reach = BastionPolicy.reach(users: users, keys: keys, machines: machines, grants: grants, certificates: true, at: now)
        let ca = try SSHPublicKey(parsing: TestKeys.otherEd25519)
        let text = BastionPolicy.render(reach, userCA: ca)
        let alice = TestKeys.ed25519.split(separator: " ").prefix(2).joined(separator: " ")
        let bob = TestKeys.ecdsa256.split(separator: " ").prefix(2).joined(separator: " ")
        let caKey = TestKeys.otherEd25519.split(separator: " ").prefix(2).joined(separator: " ")
        let only = #"restrict,port-forwarding,command="/bin/false","#
        #expect(
            text == """
                # Written by Kennel (kennel bastion config). Each line lets one user's key forward to port 22
                # of the machines that user may reach, and nothing else. Changes here are overwritten.
                # alice
                \(only)permitopen="10.100.0.2:22" \(alice) alice
                cert-authority,principals="user:alice",\(only)permitopen="10.100.0.2:22" \(caKey) kennel-user-ca
                # bob
                \(only)permitopen="10.100.0.3:22",permitopen="10.100.0.4:22" \(bob) bob
                cert-authority,principals="user:bob",\(only)permitopen="10.100.0.3:22",permitopen="10.100.0.4:22" \(caKey) kennel-user-ca
                # root-ops
                cert-authority,principals="user:root-ops",\(only)permitopen="10.100.0.2:22",permitopen="10.100.0.3:22",permitopen="10.100.0.4:22" \(caKey) kennel-user-ca

                """)
        #expect(!text.contains("carol"), "a user who may reach nothing has no line")
    }

    @Test(
        "a grant counts until it expires, through a team too",
        arguments: [(TimeInterval(60), true), (TimeInterval(0), false), (TimeInterval(-60), false), (nil, true)])
    func expiry(expiresIn: TimeInterval?, reaches: Bool) {
        let grants = [grant(.team(TestSite.value("dba")), .machine(TestSite.value("db-01")), expiresIn: expiresIn)]
        let dba = user("dave", teams: ["dba"])
        #expect(BastionPolicy.mayReach(dba, machines[1], grants: grants, at: now) == reaches)
        #expect(!BastionPolicy.mayReach(dba, machines[2], grants: grants, at: now), "the grant names db-01 only")
        #expect(!BastionPolicy.mayReach(user("erin"), machines[1], grants: grants, at: now))
    }

    @Test(
        "a grant has expired in (after, upTo] only when its expiry falls there",
        arguments: [
            (TimeInterval(30), true), (TimeInterval(60), true), (TimeInterval(61), false), (TimeInterval(0), false),
            (TimeInterval(-5), false), (nil, false),
        ])
    func expiredBetween(expiresIn: TimeInterval?, expired: Bool) {
        let grant = grant(.user(TestSite.value("bob")), .machine(TestSite.value("db-01")), expiresIn: expiresIn)
        #expect(grant.expired(after: now, upTo: now.addingTimeInterval(60)) == expired)
    }

    @Test("admins reach every machine through the bastion, but log in only as members or grantees")
    func adminsReachButLogInLikeAnyone() {
        let admin = user("root-ops", role: .admin)
        #expect(BastionPolicy.mayReach(admin, machines[0], grants: [], at: now))
        #expect(!BastionPolicy.mayLogIn(admin, machines[0], grants: [], at: now))
        #expect(BastionPolicy.mayLogIn(user("root-ops", role: .admin, teams: ["web"]), machines[0], grants: [], at: now))
        #expect(BastionPolicy.mayLogIn(user("alice", teams: ["web"]), machines[0], grants: [], at: now))
        #expect(!BastionPolicy.mayLogIn(user("alice", teams: ["web"]), machines[1], grants: [], at: now))
    }
}
