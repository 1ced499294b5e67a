import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/whoami`, `/api/v1/users`, `/api/v1/teams` (with members) and
/// `/api/v1/tokens`.
struct AccessRoutes {
    typealias Context = KennelRequestContext
    let service: AccessService

    func register(on group: RouterGroup<Context>) {
        group.get("whoami") { _, context in
            let requester = try context.requester()
            return JSONResponse.make(UserView(try await service.user(named: requester.user, by: requester)))
        }
        registerUsers(on: group)
        registerTeams(on: group)
        registerTokens(on: group)
    }

    private func registerUsers(on group: RouterGroup<Context>) {
        group.get("users") { _, context in
            JSONResponse.make(UserList(try await service.users(by: try context.requester()).map(UserView.init)))
        }
        group.post("users") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["name", "role"])
            let user = try await service.createUser(named: try fields.required("name"), role: try fields.required("role"), by: requester)
            return JSONResponse.make(UserView(user), status: .created, headers: [.location: "/api/v1/users/\(user.name)"])
        }
        group.get("users/:name") { _, context in
            JSONResponse.make(UserView(try await service.user(named: try context.pathName(of: "user"), by: try context.requester())))
        }
        group.patch("users/:name") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["role"])
            let user = try await service.setRole(try fields.required("role"), of: try context.pathName(of: "user"), by: requester)
            return JSONResponse.make(UserView(user))
        }
        group.delete("users/:name") { _, context in
            try await service.deleteUser(named: try context.pathName(of: "user"), by: try context.requester())
            return Response(status: .noContent)
        }
    }

    private func registerTeams(on group: RouterGroup<Context>) {
        group.get("teams") { _, context in
            JSONResponse.make(TeamList(try await service.teams(by: try context.requester()).map(TeamView.init)))
        }
        group.post("teams") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["name"])
            let team = try await service.createTeam(named: try fields.required("name"), by: requester)
            return JSONResponse.make(TeamView(team), status: .created, headers: [.location: "/api/v1/teams/\(team.name)"])
        }
        group.get("teams/:name") { _, context in
            JSONResponse.make(TeamView(try await service.team(named: try context.pathName(of: "team"), by: try context.requester())))
        }
        group.delete("teams/:name") { _, context in
            try await service.deleteTeam(named: try context.pathName(of: "team"), by: try context.requester())
            return Response(status: .noContent)
        }
        group.post("teams/:name/members") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["user"])
            let team = try await service.addMember(try fields.required("user"), to: try context.pathName(of: "team"), by: requester)
            return JSONResponse.make(TeamView(team))
        }
        group.delete("teams/:name/members/:user") { _, context in
            let requester = try context.requester()
            let text = try context.decodedPathParameter("user", of: "user")
            guard let user = try? Hostname(parsing: text) else { throw KennelError.notFound("user", text) }
            let team = try await service.removeMember(user, from: try context.pathName(of: "team"), by: requester)
            return JSONResponse.make(TeamView(team))
        }
    }

    private func registerTokens(on group: RouterGroup<Context>) {
        group.get("tokens") { request, context in
            let requester = try context.requester()
            let user: Hostname? = try Query.value("user", in: request)
            let all = try QueryFlag.given("all", in: request)
            return JSONResponse.make(TokenList(try await service.tokens(of: user, all: all, by: requester).map { TokenView($0) }))
        }
        group.post("tokens") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["name", "user", "expires"])
            let (token, secret) = try await service.createToken(
                for: try fields.optional("user") ?? requester.user, name: try fields.required("name"), lifetime: try fields.optional("expires"),
                by: requester)
            return JSONResponse.make(TokenView(token, secret: secret), status: .created, headers: [.location: "/api/v1/tokens/\(token.id)"])
        }
        group.delete("tokens/:id") { _, context in
            let text = try context.decodedPathParameter("id", of: "token")
            guard let id = Int64(text) else { throw KennelError.notFound("token", text) }
            return JSONResponse.make(TokenView(try await service.revokeToken(id: id, by: try context.requester())))
        }
    }
}
