import Foundation
import KennelControl
@testable import KennelHost
import KennelModel
import Testing

@Suite("Host facts: the first verb of its own port")
struct HostFactsTests {
    private func machinesRoot() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-facts-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(
        "the probe reads kernel, datapath, reflink and free space, with argv commands only",
        arguments: [
            ("\"netdev\"\n", 0, "netdev", true), ("\"\"\n", 1, "system", false),
        ])
    func probe(datapathOutput: String, copyStatus: Int32, datapath: String, reflink: Bool) async throws {
        let root = try machinesRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runner = RecordingRunner { argv in
            switch argv[0] {
            case "uname": CommandResult(status: 0, output: "6.1.0-28-amd64\n", errorOutput: "")
            case "ovs-vsctl": CommandResult(status: 0, output: datapathOutput, errorOutput: "")
            default: CommandResult(status: copyStatus, output: "", errorOutput: copyStatus == 0 ? "" : "cp: failed to clone")
            }
        }
        // Over the in-process channel, as the local host is reached.
        let agent = NodeHostAgent(
            channel: InProcessNodeChannel(agent: NodeAgent(paths: HostPaths(machinesRoot: root), runner: runner)), images: ImageStore(root: root))
        let facts = try await agent.facts(bridge: "br0", volumes: .loopfile(directory: root))
        #expect(facts.kernel == "6.1.0-28-amd64")
        #expect(facts.ovsDatapath == datapath)
        #expect(facts.reflink == reflink)
        #expect((facts.freeBytes ?? 0) > 0)
        let commands = await runner.commands
        #expect(commands.prefix(2) == [["uname", "-r"], ["ovs-vsctl", "get", "bridge", "br0", "datapath_type"]])
        #expect(commands.last?.prefix(2) == ["cp", "--reflink=always"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty, "the probe leaves nothing behind")
    }

    @Test("the facts request and reply survive the JSON trip of the SSH channel")
    func codec() throws {
        let request = NodeRequest.facts(.read(bridge: "br0", volumes: .lvm(volumeGroup: "vg0", thinPool: nil)))
        #expect(try JSONDecoder().decode(NodeRequest.self, from: JSONEncoder().encode(request)) == request)
        let facts = HostFacts(kernel: "6.1", libvirt: nil, ovsDatapath: "system", reflink: false, freeBytes: 42)
        #expect(try NodeReply.decode(HostFacts.self, from: NodeReply.encode(facts), host: "h1") == facts)
        #expect(throws: KennelError.self) { try NodeReply.decode(HostFacts.self, from: Data("true".utf8), host: "h1") }
    }
}
