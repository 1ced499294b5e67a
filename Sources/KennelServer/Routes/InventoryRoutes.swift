import Hummingbird
import KennelControl
import KennelModel

/// `/api/v1/hosts`, `/api/v1/topology`, `/api/v1/idcs`, `/api/v1/zones`, `/api/v1/racks`.
struct InventoryRoutes<Context: RequestContext> {
    let service: HostService

    struct HostList: Codable {
        let hosts: [HostView]
        let count: Int
    }

    struct Topology: Codable {
        struct Zone: Codable {
            let name: String
            let racks: [String]
        }

        struct IDC: Codable {
            let name: String
            let zones: [Zone]
        }

        let idcs: [IDC]
    }

    func register(on group: RouterGroup<Context>) {
        group.get("hosts") { _, _ in
            let hosts = try await service.list().map(HostView.init)
            return JSONResponse.make(HostList(hosts: hosts, count: hosts.count))
        }
        group.post("hosts") { request, _ in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: HostRequest.createFields)
            let details = try await service.add(try HostRequest.host(from: fields))
            return JSONResponse.make(HostView(details), status: .created, headers: [.location: "/api/v1/hosts/\(details.host.name)"])
        }
        group.get("hosts/:name") { _, context in
            JSONResponse.make(HostView(try await service.details(named: try context.pathName(of: "host"))))
        }
        group.patch("hosts/:name") { request, context in
            let name = try context.pathName(of: "host")
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: HostRequest.createFields)
            if let fixed = fields.given.subtracting(HostRequest.updateFields).sorted().first {
                throw KennelError.invalid(fixed, "\(fixed) cannot change; remove the host and add it again")
            }
            return JSONResponse.make(HostView(try await service.update(named: name, with: fields)))
        }
        group.delete("hosts/:name") { _, context in
            try await service.delete(named: try context.pathName(of: "host"))
            return Response(status: .noContent)
        }
        group.get("topology") { _, _ in
            let (idcs, zones, racks) = try await service.topology()
            return JSONResponse.make(Topology(idcs: idcs.map { idc in
                Topology.IDC(name: idc.value, zones: zones.filter { $0.idc == idc }.map { zone in
                    Topology.Zone(name: zone.zone.value, racks: racks.filter { $0.idc == idc && $0.zone == zone.zone }.map(\.rack.value))
                })
            }))
        }
        group.post("idcs") { request, _ in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["name"])
            try await service.addIDC(try fields.required("name"))
            return Response(status: .created)
        }
        group.post("zones") { request, _ in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["idc", "name"])
            try await service.addZone(ZoneKey(idc: try fields.required("idc"), zone: try fields.required("name")))
            return Response(status: .created)
        }
        group.post("racks") { request, _ in
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["idc", "zone", "name"])
            try await service.addRack(SiteLocation(idc: try fields.required("idc"), zone: try fields.required("zone"), rack: try fields.required("name")))
            return Response(status: .created)
        }
    }
}
