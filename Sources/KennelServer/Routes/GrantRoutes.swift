import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/grants` (access beyond teams) and `/api/v1/bastion/config` (the bastion's
/// `authorized_keys`, for admins).
struct GrantRoutes {
    typealias Context = KennelRequestContext
    let grants: GrantService
    let bastion: BastionService

    func register(on group: RouterGroup<Context>) {
        group.post("grants") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: GrantRequest.fieldNames)
            let grant = try await grants.create(try GrantRequest(fields: fields), by: requester)
            return JSONResponse.make(GrantView(grant), status: .created, headers: [.location: "/api/v1/grants/\(grant.id)"])
        }
        group.get("grants") { _, context in
            JSONResponse.make(GrantList(try await grants.list(by: try context.requester()).map(GrantView.init)))
        }
        group.delete("grants/:id") { _, context in
            let text = try context.decodedPathParameter("id", of: "grant")
            guard let id = Int64(text), id > 0 else { throw KennelError.notFound("grant", text) }
            try await grants.delete(id: id, by: try context.requester())
            return Response(status: .noContent)
        }
        group.get("bastion/config") { _, context in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try await bastion.config(by: try context.requester()))))
        }
    }
}
