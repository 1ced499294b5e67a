import Hummingbird
import KennelControl
import KennelWire

/// `POST /api/v1/images/prune`: removes image versions no machine needs, on the control
/// plane and their templates on hosts (admins only).
struct ImageRoutes {
    typealias Context = KennelRequestContext
    let service: ImageService

    func register(on group: RouterGroup<Context>) {
        group.post("images/prune") { request, context in
            let requester = try context.requester()
            _ = try await RequestFieldsDecoding.fields(of: request, allowed: [])
            return JSONResponse.make(ImagePruneView(try await service.prune(by: requester)))
        }
    }
}
