import ArgumentParser
import Foundation
import KennelModel
import KennelWire

/// The API could not be reached at all (nothing listens, a timeout, a name that does
/// not resolve): its own message and exit code, so scripts can tell it from a refusal.
struct APIUnreachable: Error, CustomStringConvertible {
    let url: String
    let reason: String

    /// Reads a transport error as a short reason: "connection refused", "timed out"…
    init(url: String, error: any Error) {
        self.url = url
        let text = String(describing: error).lowercased()
        if text.contains("refused") {
            reason = "connection refused"
        } else if text.contains("timeout") || text.contains("timed out") {
            reason = "timed out"
        } else if text.contains("resolve") || text.contains("nodename") || text.contains("name or service") || text.contains("dns") {
            reason = "the host name does not resolve"
        } else {
            reason = Echo.short(String(describing: error), limit: 120)
        }
    }

    var description: String { "cannot reach the Kennel API at \(url): \(reason)" }
}

extension KennelError.Code {
    /// The CLI's own code for an API it cannot reach (never sent by the server).
    static let apiUnreachable = KennelError.Code(rawValue: "api_unreachable")
    /// The CLI's own code for a wait that ran out of time.
    static let timedOut = KennelError.Code(rawValue: "timed_out")
}

/// How `kennel` ends (the README's table): 0 done; 1 refused or failed (a bad field, a
/// host failure, an import with errors); 2 bad usage; 3 not found; 4 a conflict (name or
/// address taken, no capacity, wrong state, a changed ETag); 5 not signed in or not
/// allowed; 6 the API cannot be reached; 7 `machine wait` timed out. `kennel ssh` ends
/// with the remote command's status instead.
enum CLIExit {
    static let failed: Int32 = 1
    static let usage: Int32 = 2
    static let notFound: Int32 = 3
    static let conflict: Int32 = 4
    static let denied: Int32 = 5
    static let unreachable: Int32 = 6
    static let timedOut: Int32 = 7

    /// The exit status of a refusal with `code`.
    static func status(for code: KennelError.Code) -> Int32 {
        switch code {
        case .notFound: notFound
        case .nameTaken, .poolExhausted, .ipInUse, .macInUse, .noCapacity, .spreadImpossible, .conflict, .preconditionFailed: conflict
        case .unauthorized, .forbidden: denied
        case .apiUnreachable: unreachable
        case .timedOut: timedOut
        default: failed
        }
    }

    /// Prints `error` (as JSON with `--json`) to standard error and gives the exit code.
    static func report(_ error: any Error, json: Bool) -> Int32 {
        let (reported, status): (KennelError, Int32)
        switch error {
        case let error as APIUnreachable:
            (reported, status) = (KennelError(.apiUnreachable, error.description), unreachable)
        case let error as KennelError:
            (reported, status) = (error, Self.status(for: error.code))
        default:
            return -1
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(ErrorBody(reported))) ?? Data()
            FileHandle.standardError.write(data + Data("\n".utf8))
        } else {
            FileHandle.standardError.write(Data("Error: \(reported.message)\n".utf8))
        }
        return status
    }
}
