import KennelModel
import Testing

@Suite("Principal: who may read, change and create")
struct PrincipalTests {
    private static func principal(_ role: Role, _ teams: [String]) throws -> Principal {
        Principal(user: try Hostname(parsing: "someone"), role: role, teams: Set(try teams.map { try Hostname(parsing: $0) }))
    }

    @Test(
        "read and change by role and team",
        arguments: [
            // role, teams, machine's team, may read, may change
            (Role.viewer, ["web"], "web", true, false), (.viewer, ["web"], "db", false, false), (.viewer, ["web"], nil, false, false),
            (.operator, ["web"], "web", true, true), (.operator, ["web"], "db", false, false), (.operator, ["web", "db"], "db", true, true),
            (.operator, [], nil, false, false), (.admin, [], "db", true, true), (.admin, [], nil, true, true),
        ] as [(Role, [String], String?, Bool, Bool)])
    func access(role: Role, teams: [String], team: String?, read: Bool, change: Bool) throws {
        let principal = try Self.principal(role, teams)
        let machineTeam = try team.map { try Hostname(parsing: $0) }
        #expect(principal.canRead(team: machineTeam) == read)
        #expect(principal.canChange(team: machineTeam) == change)
    }

    @Test("a new machine's team: the one asked for if allowed, else the operator's only team")
    func newMachineTeam() throws {
        let web = try Hostname(parsing: "web")
        #expect(try Self.principal(.operator, ["web"]).teamForNewMachine(asked: nil) == web)
        #expect(try Self.principal(.admin, []).teamForNewMachine(asked: nil) == nil)
        #expect(try Self.principal(.admin, []).teamForNewMachine(asked: web) == web)
        #expect(throws: KennelError.missing("team")) { try Self.principal(.operator, ["web", "db"]).teamForNewMachine(asked: nil) }
        #expect { try Self.principal(.operator, ["db"]).teamForNewMachine(asked: web) } throws: { error in
            (error as? KennelError)?.code == .forbidden && (error as? KennelError)?.field == "team"
        }
        #expect { try Self.principal(.viewer, ["web"]).teamForNewMachine(asked: web) } throws: { error in
            (error as? KennelError)?.code == .forbidden
        }
        #expect { try Self.principal(.operator, []).teamForNewMachine(asked: nil) } throws: { error in
            (error as? KennelError)?.code == .forbidden
        }
    }

    @Test("roles parse from their names only and are ordered")
    func roles() throws {
        #expect(try Role(parsing: "operator") == .operator)
        #expect(throws: InvalidValue.self) { try Role(parsing: "root") }
        #expect(Role.viewer < .operator && Role.operator < .admin)
    }
}
