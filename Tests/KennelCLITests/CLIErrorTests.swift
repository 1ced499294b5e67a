import ArgumentParser
@testable import KennelCLI
import KennelModel
import Testing

@Suite("CLI errors: unreachable API, --api forms, exit codes, plurals")
struct CLIErrorTests {
    @Test(
        "--api takes a URL or host:port",
        arguments: [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"), ("127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("kennel.example", "http://kennel.example"), ("https://kennel.example:8443/", "https://kennel.example:8443/"),
        ])
    func apiForms(given: String, used: String) throws {
        #expect(try APIOptions.baseURL(given) == used)
    }

    @Test("--api refuses what is not an API address, saying what to write", arguments: ["ftp://h", "http://", "h:8080?x=1", ""])
    func apiRefused(given: String) {
        #expect { try APIOptions.baseURL(given) } throws: { "\($0)".contains("write http://HOST:PORT") }
    }

    @Test("an unreachable API is its own message and exit code 6; a refusal is its code's status; bad usage 2")
    func exitCodes() async {
        #expect(await KennelCommand.runCommandLine(["machine", "list", "--api", "127.0.0.1:1"]) == 6)
        #expect(await KennelCommand.runCommandLine(["machine", "list", "--api", "127.0.0.1:1", "--json"]) == 6)
        #expect(await KennelCommand.runCommandLine(["machine", "show", "Web_01"]) == 2)
        #expect(await KennelCommand.runCommandLine(["machine", "frobnicate"]) == 2)
        #expect(await KennelCommand.runCommandLine(["machine", "create", "--help"]) == 0)
        #expect(CLIExit.report(KennelError.notFound("machine", "x"), json: true) == 3)
        #expect(APIUnreachable(url: "http://h:1", error: CancellationError()).description.hasPrefix("cannot reach the Kennel API at http://h:1: "))
    }

    @Test(
        "counts read as English",
        arguments: [
            (0, "machine", "0 machines"), (1, "machine", "1 machine"), (2, "CPU", "2 CPUs"), (1, "CPU", "1 CPU"),
        ])
    func plurals(count: Int, noun: String, text: String) {
        #expect(Counted.text(count, noun) == text)
    }

    /// The README's table of exit codes, by the API's error codes.
    @Test(arguments: [
        (KennelError.Code.invalidField, Int32(1)), (.missingField, 1), (.hostFailure, 1), (.internal, 1), (.badRequest, 1),
        (.notFound, 3), (.nameTaken, 4), (.ipInUse, 4), (.noCapacity, 4), (.conflict, 4), (.preconditionFailed, 4),
        (.poolExhausted, 4), (.unauthorized, 5), (.forbidden, 5), (.apiUnreachable, 6), (.timedOut, 7),
    ])
    func exitStatusOfEachRefusal(code: KennelError.Code, status: Int32) {
        #expect(CLIExit.status(for: code) == status)
    }
}
