import Hummingbird
import KennelModel
import NIOCore

/// A `multipart/form-data` body, as `curl -F name=@file` and HTML file inputs send it:
/// its parts in order, each with its field name, file name (if a file) and bytes.
public struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        let bytes: [UInt8]

        /// The part as text (a plain field).
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let parts: [Part]

    /// Reads `request`'s body (at most `maximum` bytes); anything but multipart/form-data
    /// with a boundary, or a body that does not parse, is 400.
    static func read(_ request: Request, maximum: Int, allowed: Set<String>) async throws -> MultipartForm {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = parameter("boundary", in: contentType), !boundary.isEmpty
        else {
            throw KennelError(.badRequest, "send multipart/form-data (curl -F file=@inventory.csv), not \(Echo.short(contentType))")
        }
        let body = try await request.body.collect(upTo: maximum)
        let form = try parse(body, boundary: boundary)
        for part in form.parts where !allowed.contains(part.name) {
            throw KennelError.invalid(Echo.short(part.name), "unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        return form
    }

    static func parse(_ body: ByteBuffer, boundary: String) throws(KennelError) -> MultipartForm {
        let raw: [MultipartReader.RawPart]
        do {
            raw = try MultipartReader.parts(of: Array(body.readableBytesView), boundary: boundary)
        } catch {
            throw KennelError(.badRequest, "the multipart body does not parse: \(error.reason)")
        }
        var parts: [Part] = []
        for part in raw {
            guard let disposition = part.header("Content-Disposition"), let name = parameter("name", in: disposition) else {
                throw KennelError(.badRequest, "a part has no Content-Disposition name")
            }
            parts.append(Part(name: name, filename: parameter("filename", in: disposition), bytes: Array(part.body)))
        }
        return MultipartForm(parts: parts)
    }

    /// The value of `name=` in a header like `form-data; name="file"; filename="a;b.csv"`
    /// (the first such parameter; a quoted value may hold `;` and `\"`).
    static func parameter(_ name: String, in header: String) -> String? {
        HeaderParameters(header).values.first { $0.name == name.lowercased() }?.value
    }

    /// The text field `name` of a multipart body already collected (the console reads a
    /// form token from an upload this way, before its route reads the upload).
    public static func field(_ name: String, in body: ByteBuffer, contentType: String) throws -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = parameter("boundary", in: contentType), !boundary.isEmpty
        else { throw KennelError(.badRequest, "send multipart/form-data, not \(Echo.short(contentType))") }
        return try parse(body, boundary: boundary).field(name)
    }

    /// The parts named `name`, in order.
    func parts(named name: String) -> [Part] { parts.filter { $0.name == name } }

    /// The one text field `name`, if given.
    func field(_ name: String) -> String? { parts(named: name).last?.text }
}
