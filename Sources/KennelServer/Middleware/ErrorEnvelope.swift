import Foundation
import Hummingbird
import KennelModel
import KennelWire
import Logging

/// Turns every error into one JSON envelope, `{"error":{"code":…,"message":…,"field":…}}`,
/// with the status from `ErrorEnvelope.status(for:)`. Errors that are not Kennel's are
/// logged and answered as `internal`, without their details.
struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as KennelError where error.code == .internal {
            context.logger.error("request.failed", metadata: ["error": "\(error.message)", "path": "\(request.uri.path)"])
            return ErrorEnvelope.response(KennelError(.internal, "internal error; see the service log"))
        } catch let error as KennelError {
            return ErrorEnvelope.response(error)
        } catch let error as RequestTooLarge {
            return ErrorEnvelope.response(KennelError(.requestTooLarge, error.message), status: error.status)
        } catch let error as any HTTPResponseError {
            let allowed = error.status == .notFound ? RouteTable.methods(for: request.uri.path) : []
            guard allowed.isEmpty else {
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                var response = ErrorEnvelope.response(
                    KennelError(
                        .methodNotAllowed,
                        "\(Echo.short(request.method.rawValue, limit: 16)) is not allowed on \(Echo.short(request.uri.path, limit: 80)); allowed: \(list)"
                    ))
                response.headers[.allow] = list
                return response
            }
            return ErrorEnvelope.response(ErrorEnvelope.error(for: error.status, request: request), status: error.status)
        } catch {
            context.logger.error("request.failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return ErrorEnvelope.response(KennelError(.internal, "internal error; see the service log"))
        }
    }
}

/// The error body and the one table from error code to HTTP status.
enum ErrorEnvelope {
    /// The envelope for a status Hummingbird raised itself (no route, body too large…).
    static func error(for status: HTTPResponse.Status, request: Request) -> KennelError {
        switch status {
        case .notFound: KennelError(.notFound, "no such endpoint: \(request.method) \(Echo.short(request.uri.path, limit: 80))")
        case .contentTooLarge:
            KennelError(.bodyTooLarge, "the body is larger than \(RequestFieldsDecoding.maximumBodySize / 1024) KiB")
        default: KennelError(.badRequest, status.reasonPhrase)
        }
    }

    static func status(for code: KennelError.Code) -> HTTPResponse.Status {
        switch code {
        case .forbidden: .forbidden
        case .unauthorized: .unauthorized
        case .preconditionFailed: .preconditionFailed
        case .unavailable: .serviceUnavailable
        case .bodyTooLarge: .contentTooLarge
        case .requestTooLarge: .requestHeaderFieldsTooLarge
        case .methodNotAllowed: .methodNotAllowed
        case .badRequest: .badRequest
        case .invalidField, .missingField, .unknownField, .unknownReference: .unprocessableContent
        case .notFound: .notFound
        case .nameTaken, .poolExhausted, .ipInUse, .macInUse, .noCapacity, .spreadImpossible, .conflict: .conflict
        case .hostFailure: .badGateway
        default: .internalServerError
        }
    }

    static func response(_ error: KennelError, status: HTTPResponse.Status? = nil) -> Response {
        let body = ErrorBody(error)
        var headers: HTTPFields = [:]
        if error.code == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="kennel""# }
        return JSONResponse.make(body, status: status ?? Self.status(for: error.code), headers: headers)
    }
}

/// JSON responses with stable key order.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        do {
            var data = try encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            let fallback = #"{"error":{"code":"internal","message":"response encoding failed"}}"#
            return Response(status: .internalServerError, headers: headers, body: .init(byteBuffer: ByteBuffer(string: fallback)))
        }
    }
}

extension KennelError {
    /// The HTTP status this error is answered with (the console's pages use the same
    /// table as the API's envelope).
    public var httpStatus: HTTPResponse.Status { ErrorEnvelope.status(for: code) }
}
