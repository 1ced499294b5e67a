import Hummingbird
import KennelControl
import KennelImport
import KennelModel
import KennelWire

/// `/api/v1/imports`: inventory imports from CMDB exports (admins).
struct ImportRoutes {
    typealias Context = KennelRequestContext
    let service: ImportService
    let answer: OperationAnswer

    /// Uploads are larger than API forms: a 100,000-VM RVTools export is tens of MB.
    static let maximumUploadSize = ImportUpload.maximumSize

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
            let upload = try await ImportUpload.read(request, allowing: [])
            let plan = try await service.plan(
                upload.files, map: upload.map, format: upload.format, includeOff: upload.includeOff, by: try context.requester())
            return JSONResponse.make(ImportPlanView(plan))
        }
        group.get("imports/:id/rows") { request, context in
            let rows = ImportRowList(try await service.rows(of: try context.operationID(), by: try context.requester()))
            switch request.uri.queryParameters["format"].map(String.init) ?? "json" {
            case "json": return JSONResponse.make(rows)
            case "csv":
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: rows.csv)))
            case let other: throw KennelError.invalid("format", "'\(Echo.short(other))' is not a rows format (json, csv)")
            }
        }
        group.post("imports") { request, context in
            let requester = try context.requester()
            let upload = try await ImportUpload.read(request, allowing: ["partial", "records_only", "wait"])
            let options = ImportApplyOptions(partial: try upload.flag("partial"), recordsOnly: try upload.flag("records_only"))
            let wait = try QueryFlag.given("wait", in: request) || upload.flag("wait")
            let handle = try await service.submitApply(
                upload.files, map: upload.map, format: upload.format, includeOff: upload.includeOff, options: options, by: requester)
            return try await answer.respond(handle, wait: wait, requester: requester) { _ in
                let operation = try await answer.operations.operation(id: handle.id, by: requester)
                return JSONResponse.make(OperationView(operation, showCause: requester.principal.isAdmin))
            }
        }
    }
}

/// An import's upload (multipart): `file` (repeatable), `map`, `format`, `include_off`,
/// and the apply's own flags.
public struct ImportUpload: Sendable {
    public let files: [SourceFile]
    public let map: SourceFile?
    public let format: SourceFormat?
    public let includeOff: Bool
    /// Uploads are larger than API forms: a 100,000-VM RVTools export is tens of MB.
    public static let maximumSize = 256 << 20
    private let form: MultipartForm

    /// Reads the upload of `request`, refusing fields other than the import's and `extra`.
    public static func read(_ request: Request, allowing extra: Set<String>) async throws -> ImportUpload {
        let form = try await MultipartForm.read(
            request, maximum: ImportRoutes.maximumUploadSize, allowed: Set(["file", "map", "format", "include_off"]).union(extra))
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
        let upload = ImportUpload(files: files, map: map, format: format, includeOff: false, form: form)
        return ImportUpload(files: files, map: map, format: format, includeOff: try upload.flag("include_off"), form: form)
    }

    /// A yes/no field (1, 0, true, false); absent is no.
    public func flag(_ name: String) throws -> Bool {
        guard let text = form.field(name) else { return false }
        guard let flag = try? YesNo(parsing: text) else {
            throw KennelError.invalid(name, "'\(Echo.short(text))' is not yes or no (1, 0, true, false)")
        }
        return flag.isSet
    }
}
