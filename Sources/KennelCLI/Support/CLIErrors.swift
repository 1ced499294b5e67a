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
}

/// How `kennel` ends, documented in the CLI's README: 0 done; 1 the API refused the
/// request (4xx/5xx, its message printed); 64 bad usage; 69 the API cannot be reached.
enum CLIExit {
    static let refused: Int32 = 1
    static let usage: Int32 = 64
    static let unreachable: Int32 = 69

    /// Prints `error` (as JSON with `--json`) to standard error and gives the exit code.
    static func report(_ error: any Error, json: Bool) -> Int32 {
        let (reported, status): (KennelError, Int32)
        switch error {
        case let error as APIUnreachable:
            (reported, status) = (KennelError(.apiUnreachable, error.description), unreachable)
        case let error as KennelError:
            (reported, status) = (error, refused)
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
