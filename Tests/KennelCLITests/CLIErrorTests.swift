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

    @Test("an unreachable API is its own message and exit code 69; a refusal is 1; bad usage 64")
    func exitCodes() async {
        #expect(await KennelCommand.runCommandLine(["machine", "list", "--api", "127.0.0.1:1"]) == CLIExit.unreachable)
        #expect(await KennelCommand.runCommandLine(["machine", "list", "--api", "127.0.0.1:1", "--json"]) == CLIExit.unreachable)
        #expect(await KennelCommand.runCommandLine(["machine", "show", "Web_01"]) == CLIExit.usage)
        #expect(CLIExit.report(KennelError.notFound("machine", "x"), json: true) == CLIExit.refused)
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
}
