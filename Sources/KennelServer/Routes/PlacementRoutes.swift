import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/placement/explain` (dry run) and `/api/v1/services/{service}/spread`.
struct PlacementRoutes {
    typealias Context = KennelRequestContext
    let service: PlacementService

    func register(on group: RouterGroup<Context>) {
        group.get("placement/explain") { request, _ in
            var pairs = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
            if !pairs.contains(where: { $0.name == "name" }) { pairs.append((name: "name", value: "dry-run")) }
            let fields = try RequestFields(pairs, allowed: MachineRequest.fieldNames)
            return JSONResponse.make(PlacementView(try await service.explain(MachineRequest(fields: fields))))
        }
        group.get("services/:service/spread") { _, context in
            let text = try context.decodedPathParameter("service", of: "service")
            let name: Label
            do throws(InvalidValue) { name = try Label(parsing: text) } catch { throw KennelError.invalid("service", error.reason) }
            return JSONResponse.make(SpreadView(try await service.spread(of: name)))
        }
    }
}
