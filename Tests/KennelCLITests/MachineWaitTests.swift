import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KennelCLI
import KennelModel
import KennelServer
import KennelTesting
import Testing

@Suite("kennel machine wait and kennel completion")
struct MachineWaitTests {
    @Test("wait returns once the machine is in the state, runs out of time saying where it stands, and waits for a delete")
    func wait() async throws {
        let runtime = FakeHostRuntime()
        let plane = try await TestControlPlane.make(runtime: runtime)
        let app = KennelAPI.application(services: plane.services, host: "127.0.0.1", port: 0, logger: .silent)
        try await app.test(.live) { client in
            let api = ["--api", "http://127.0.0.1:\(try #require(client.port))", "--token", try await plane.adminToken()]
            await runtime.holdStarts()
            _ = try await plane.services.machines.submitCreate(TestSite.request("web-01"))
            let early = try MachineWait.parse(["web-01", "--timeout", "1", "--poll-interval", "50"] + api)
            let error = await #expect(throws: KennelError.self) { try await early.run() }
            #expect(error?.message == "web-01 is provisioning after 1 s, not running")
            await runtime.releaseStarts()
            try await MachineWait.parse(["web-01", "--state", "running", "--poll-interval", "50"] + api).run()
            _ = try await plane.services.machines.submitDelete(named: TestSite.value("web-01"))
            try await MachineWait.parse(["web-01", "--state", "deleted", "--timeout", "10", "--poll-interval", "50"] + api).run()
            let gone = await #expect(throws: KennelError.self) { try await MachineWait.parse(["web-01"] + api).run() }
            #expect(gone?.code == .notFound)
        }
        #expect(throws: (any Error).self) { try MachineWait.parse(["web-01", "--state", "up"]) }
    }

    @Test("completion scripts for bash, zsh and fish name the commands; another shell is a usage error")
    func completion() throws {
        for shell in ["bash", "zsh", "fish"] {
            let parsed = try CompletionCommand.parse([shell])
            let script = KennelCommand.completionScript(for: parsed.shell)
            #expect(script.contains("machine") && script.contains("import"), "\(shell)")
        }
        #expect(throws: (any Error).self) { try CompletionCommand.parse(["tcsh"]) }
    }
}
