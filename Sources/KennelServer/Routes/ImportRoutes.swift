import Hummingbird
import KennelControl
import KennelImport
import KennelModel
import KennelWire

/// `/api/v1/imports`: inventory imports from CMDB exports (admins).
struct ImportRoutes {
    typealias Context = KennelRequestContext
    let service: ImportService

    /// Uploads are larger than API forms: a 100,000-VM RVTools export is tens of MB.
    static let maximumUploadSize = 256 << 20

    func register(on group: RouterGroup<Context>) {
        group.get("export") { request, context in
            let entries = try await service.export(by: try context.requester())
            let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
            let (type, body): (String, ByteBuffer)
            switch format {
            case "json": (type, body) = ("application/json", ByteBuffer(bytes: Array(InventoryExport.json(entries))))
            case "csv": (type, body) = ("text/csv; charset=utf-8", ByteBuffer(string: InventoryExport.csv(entries)))
            case "netbox-machines": (type, body) = ("text/csv; charset=utf-8", ByteBuffer(string: InventoryExport.netboxMachines(entries)))
            case "netbox-addresses": (type, body) = ("text/csv; charset=utf-8", ByteBuffer(string: InventoryExport.netboxAddresses(entries)))
            default:
                throw KennelError.invalid("format", "'\(Echo.short(format))' is not an export format (json, csv, netbox-machines, netbox-addresses)")
            }
            return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: body))
        }
        group.post("imports/plan") { request, context in
            let requester = try context.requester()
            let form = try await MultipartForm.read(
                request, maximum: Self.maximumUploadSize, allowed: ["file", "map", "format", "include_off"])
            let files = form.parts(named: "file").enumerated().map { index, part in
                SourceFile(name: part.filename ?? "file \(index + 1)", bytes: part.bytes)
            }
            let map = form.parts(named: "map").last.map { SourceFile(name: $0.filename ?? "map", bytes: $0.bytes) }
            var format: SourceFormat?
            if let text = form.field("format"), !text.isEmpty {
                guard let known = SourceFormat(rawValue: text.lowercased()) else {
                    throw KennelError.invalid(
                        "format", "'\(Echo.short(text))' is not a format (\(SourceFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                format = known
            }
            var includeOff = false
            if let text = form.field("include_off") {
                guard let flag = try? YesNo(parsing: text) else {
                    throw KennelError.invalid("include_off", "'\(Echo.short(text))' is not yes or no (1, 0, true, false)")
                }
                includeOff = flag.isSet
            }
            let plan = try await service.plan(files, map: map, format: format, includeOff: includeOff, by: requester)
            return JSONResponse.make(ImportPlanView(plan))
        }
    }
}
