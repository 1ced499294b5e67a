import AsyncHTTPClient
import Foundation
import KennelModel
import KennelWire
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A small client of Kennel's HTTP API.
struct APIClient: Sendable {
    let baseURL: String
    /// Sent as `Authorization: Bearer …` when known.
    var token: String?

    /// An answer: status and body.
    struct Answer: Sendable {
        let status: Int
        let body: Data
    }

    /// The CLI's HTTP client: a refused or failed connection fails at once (the shared
    /// client retries until the request's deadline, so `kennel` would hang for two
    /// minutes when nothing listens).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends a request; the body, if any, is form-encoded from `form`.
    func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws -> Answer {
        try await send(method, path, body: form.map { ("application/x-www-form-urlencoded", ByteBuffer(string: FormBody.encode($0))) })
    }

    /// Sends `parts` as multipart/form-data (files and fields, as `curl -F` does).
    func send(_ method: HTTPMethod, _ path: String, multipart parts: [MultipartBody.Part]) async throws -> Answer {
        let body = MultipartBody(parts: parts)
        return try await send(method, path, body: ("multipart/form-data; boundary=\(body.boundary)", body.encoded))
    }

    private func send(_ method: HTTPMethod, _ path: String, body: (contentType: String, bytes: ByteBuffer)?) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL.trimmingTrailingSlash + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(body.bytes)
        }
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: .seconds(120))
        } catch {
            throw APIUnreachable(url: baseURL, error: error)
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), body: Data(buffer: body))
    }

    /// Sends a request and decodes a 2xx answer as `Value`, or throws the API's error.
    func decode<Value: Decodable>(_ type: Value.Type, _ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws -> (
        Value, Data
    ) {
        let answer = try await send(method, path, form: form)
        try APIClient.check(answer)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try decoder.decode(Value.self, from: answer.body), answer.body)
    }

    /// Throws the API's error envelope as a `KennelError` when the answer is not 2xx.
    static func check(_ answer: Answer) throws {
        guard !(200..<300).contains(answer.status) else { return }
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: answer.body) {
            throw body.kennelError
        }
        throw KennelError(
            .internal,
            "the API answered \(answer.status) without an error body; is \(answer.status == 404 ? "--api the Kennel API" : "the service healthy")?")
    }
}

/// Form encoding for request bodies.
enum FormBody {
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { name, value in "\(escape(name))=\(escape(value))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// A multipart/form-data body: each part a field or a file, between boundaries no part
/// contains (random, and checked).
struct MultipartBody {
    struct Part {
        let name: String
        let filename: String?
        let bytes: [UInt8]
    }

    let parts: [Part]
    let boundary: String

    init(parts: [Part]) {
        self.parts = parts
        var boundary = "kennel-" + UUID().uuidString
        while parts.contains(where: { $0.bytes.firstRange(of: Array(boundary.utf8)) != nil }) { boundary = "kennel-" + UUID().uuidString }
        self.boundary = boundary
    }

    var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        for part in parts {
            let filename = part.filename.map { "; filename=\"\(Self.quoted($0))\"" } ?? ""
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(part.name))\"\(filename)\r\n")
            if part.filename != nil { buffer.writeString("Content-Type: application/octet-stream\r\n") }
            buffer.writeString("\r\n")
            buffer.writeBytes(part.bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    /// A name inside a quoted header parameter: quotes and line breaks percent-encoded.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
