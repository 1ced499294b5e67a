import ArgumentParser
@testable import KennelCLI
import Testing

@Suite("CLI parsing and rendering")
struct CommandParsingTests {
    @Test("create options parse into typed values and back into form fields")
    func createForm() throws {
        let command = try MachineCreate.parse([
            "web-01", "--idc", "dc1", "--memory", "4096M", "--cpus", "2", "--service", "web", "--ip", "10.100.0.9",
        ])
        let form = command.form.map { "\($0.0)=\($0.1)" }
        #expect(form == ["name=web-01", "idc=dc1", "cpus=2", "memory=4G", "service=web", "ip=10.100.0.9"])
    }

    @Test(
        "bad option values are refused before any request, with the value's own reason",
        arguments: [
            ["Web_01", "--idc", "dc1"], ["web-01", "--idc", "dc1", "--memory", "lots"], ["web-01"], ["web-01", "--idc", "dc1", "--cpus", "0"],
        ])
    func badOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try MachineCreate.parse(arguments) }
    }

    @Test("serve needs --site or --demo, a known log level and host:port")
    func serveValidation() throws {
        #expect(throws: (any Error).self) { try ServeCommand.parse([]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--demo", "--bind", "8080"]) }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--demo", "--log-level", "loud"]) }
        let serve = try ServeCommand.parse(["--demo", "--bind", "0.0.0.0:9090"])
        #expect(serve.demo)
        #expect(try BindAddress.parse(serve.bind) == ("0.0.0.0", 9090))
    }

    @Test("tables align their columns")
    func table() {
        let text = TextTable.render(headers: ["NAME", "IP"], rows: [["web-01", "10.0.0.2"], ["a", "10.0.0.3"]])
        #expect(text == "NAME    IP\nweb-01  10.0.0.2\na       10.0.0.3\n")
    }

    @Test("form bodies are percent-encoded")
    func formEncoding() {
        #expect(FormBody.encode([("owner", "a b&c=d"), ("ip", "10.0.0.1")]) == "owner=a%20b%26c%3Dd&ip=10.0.0.1")
    }
}
