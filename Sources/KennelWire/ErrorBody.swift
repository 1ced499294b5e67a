import KennelModel

/// The body of every error answer, `{"error":{"code":…,"message":…,"field":…,"details":…}}`:
/// written by the server, read by the CLI, and printed by the CLI's `--json` errors.
public struct ErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable, Equatable {
        public let code: String
        public let message: String
        public let field: String?
        /// For placement refusals: per-filter counts and per-host reasons.
        public let details: RefusalDetails?

        /// The error it describes.
        public var kennelError: KennelError {
            KennelError(KennelError.Code(rawValue: code), message, field: field, details: details)
        }
    }

    public let error: Detail

    /// The body of `error`.
    public init(_ error: KennelError) {
        self.error = Detail(code: error.code.rawValue, message: error.message, field: error.field, details: error.details)
    }

    /// The error it carries, as the API raised it.
    public var kennelError: KennelError { error.kennelError }
}
