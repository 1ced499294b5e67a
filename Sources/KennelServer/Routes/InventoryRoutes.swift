import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/hosts`, `/api/v1/topology`, `/api/v1/idcs`, `/api/v1/zones`, `/api/v1/racks`.
struct InventoryRoutes {
    typealias Context = KennelRequestContext
    let service: HostService
    let facts: HostFactsService

    func register(on group: RouterGroup<Context>) {
        group.get("hosts") { _, _ in
            let hosts = try await service.list().map(HostView.init)
            return JSONResponse.make(HostList(hosts: hosts))
        }
        group.post("hosts") { request, context in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: HostRequest.createFields)
            let details = try await service.add(try HostRequest.host(from: fields), by: try context.requester())
            return JSONResponse.make(HostView(details), status: .created, headers: [.location: "/api/v1/hosts/\(details.host.name)"])
        }
        group.get("hosts/:name") { _, context in
            let name = try context.pathName(of: "host")
            let details = try await service.details(named: name)
            var view = HostView(details)
            do {
                view.facts = HostFactsView(try await facts.facts(named: name))
            } catch let error as KennelError {
                view.factsError = error.message
            }
            return EntityTags.tagged(JSONResponse.make(view), details.host)
        }
        group.patch("hosts/:name") { request, context in
            let name = try context.pathName(of: "host")
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: HostRequest.createFields.union(HostRequest.updateFields))
            if let fixed = fields.given.subtracting(HostRequest.updateFields).sorted().first {
                throw KennelError.invalid(fixed, "\(fixed) cannot change; remove the host and add it again")
            }
            let details = try await service.update(
                named: name, with: fields, ifMatch: EntityTags.ifMatch(in: request), by: try context.requester())
            return EntityTags.tagged(JSONResponse.make(HostView(details)), details.host)
        }
        group.delete("hosts/:name") { request, context in
            try await service.delete(named: try context.pathName(of: "host"), ifMatch: EntityTags.ifMatch(in: request), by: try context.requester())
            return Response(status: .noContent)
        }
        group.get("topology") { _, _ in
            let (idcs, zones, racks) = try await service.topology()
            return JSONResponse.make(TopologyView(idcs: idcs, zones: zones, racks: racks))
        }
        group.post("idcs") { request, context in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["name"])
            let name: Hostname = try fields.required("name")
            try await service.addIDC(name, by: try context.requester())
            return JSONResponse.make(SiteObjectView(idc: name.value), status: .created, headers: [.location: "/api/v1/topology"])
        }
        group.post("zones") { request, context in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["idc", "name"])
            let key = ZoneKey(idc: try fields.required("idc"), zone: try fields.required("name"))
            try await service.addZone(key, by: try context.requester())
            return JSONResponse.make(
                SiteObjectView(idc: key.idc.value, zone: key.zone.value), status: .created, headers: [.location: "/api/v1/topology"])
        }
        group.post("racks") { request, context in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["idc", "zone", "name"])
            let location = SiteLocation(idc: try fields.required("idc"), zone: try fields.required("zone"), rack: try fields.required("name"))
            try await service.addRack(location, by: try context.requester())
            return JSONResponse.make(
                SiteObjectView(idc: location.idc.value, zone: location.zone.value, rack: location.rack.value),
                status: .created, headers: [.location: "/api/v1/topology"])
        }
    }
}
