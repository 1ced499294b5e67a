import Foundation
import KennelControl
@testable import KennelHost
import KennelModel
import KennelTesting
import Testing

@Suite("Bandwidth probe: a namespace on the machine's VLAN, iperf3 both ways, nothing left after")
struct BandwidthProbeTests {
    private let container = ContainerProcess(controllerPID: 100, hostInterface: "vnet7")

    private func probe(seconds: Int = 5) throws -> ProbeSpec {
        ProbeSpec(
            address: try IPv4Address(parsing: "10.100.0.3"), prefix: 24, vlan: try VLANID(100),
            machineAddress: try IPv4Address(parsing: "10.100.0.2"), seconds: seconds)
    }

    private static func report(_ bits: Double) -> String {
        #"{"start":{},"intervals":[],"end":{"sum_sent":{"bits_per_second":\#(bits + 1000)},"sum_received":{"bits_per_second":\#(bits)}}}"#
    }

    /// A host that answers: the bridge's datapath, a listening iperf3 after two polls, the
    /// probe's processes, and iperf3 reports (`egress`, `ingress`).
    private func host(datapath: String = "\"netdev\"\n", egress: String, ingress: String) -> RecordingRunner {
        let polls = Counter()
        return RecordingRunner { argv in
            func answer(_ output: String, status: Int32 = 0) -> CommandResult { CommandResult(status: status, output: output, errorOutput: "") }
            if argv.starts(with: ["ovs-vsctl", "get", "bridge"]) { return answer(datapath) }
            if argv.contains("ss") { return answer(polls.next() >= 2 ? "LISTEN 0 5 10.100.0.3:5201 0.0.0.0:*\n" : "") }
            if argv.starts(with: ["ip", "netns", "pids"]) { return answer("4242\n") }
            if argv.contains("--client") { return answer(argv.contains("--reverse") ? ingress : egress, status: egress.contains("error") ? 1 : 0) }
            return answer("")
        }
    }

    @Test("the probe is made on the VLAN, iperf3 runs out of and into the machine's namespace, then everything goes")
    func measures() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = host(egress: Self.report(96_123_456.7), ingress: Self.report(48_000_000))
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        let answer = try await agent.handle(.network(.measure(container: container, bridge: "br0", probe: try probe())))
        let sample = try JSONDecoder().decode(BandwidthSample.self, from: answer)
        #expect(sample == BandwidthSample(egressBitsPerSecond: 96_123_457, ingressBitsPerSecond: 48_000_000))

        let commands = await runner.commands.filter { !$0.contains("ss") }
        let namespace = ["nsenter", "--net=/proc/101/ns/net", "--"]
        let cleanup = [
            ["ip", "netns", "pids", "kbw0a640003"], ["kill", "-9", "4242"], ["ovs-vsctl", "--if-exists", "del-port", "br0", "kbw0a640003"],
            ["ip", "netns", "delete", "kbw0a640003"], namespace + ["ip", "neigh", "del", "10.100.0.3", "dev", "eth0"],
        ]
        let client =
            namespace + ["iperf3", "--client", "10.100.0.3", "--port", "5201", "--time", "5", "--omit", "1", "--connect-timeout", "3000", "--json"]
        let expected: [[String]] =
            [["ovs-vsctl", "get", "bridge", "br0", "datapath_type"]] + cleanup + [
                ["ip", "netns", "add", "kbw0a640003"],
                ["ovs-vsctl", "add-port", "br0", "kbw0a640003", "tag=100", "--", "set", "Interface", "kbw0a640003", "type=internal"],
                ["ip", "link", "set", "kbw0a640003", "netns", "kbw0a640003"],
                ["ip", "-n", "kbw0a640003", "address", "add", "10.100.0.3/24", "dev", "kbw0a640003"],
                ["ip", "-n", "kbw0a640003", "link", "set", "kbw0a640003", "up"],
                ["ip", "-n", "kbw0a640003", "link", "set", "lo", "up"],
                ["ip", "netns", "exec", "kbw0a640003", "ethtool", "-K", "kbw0a640003", "tx", "off"],
                ["ip", "netns", "exec", "kbw0a640003", "iperf3", "--server", "--daemon", "--bind", "10.100.0.3", "--port", "5201"],
                client, client + ["--reverse"],
            ] + cleanup
        #expect(commands == expected)
        #expect(await runner.commands.filter { $0.contains("ss") }.count == 2, "it waits until iperf3 listens")
    }

    @Test("on a kernel-datapath bridge the probe keeps checksum offload")
    func kernelDatapath() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = host(datapath: "system\n", egress: Self.report(1e9), ingress: Self.report(1e9))
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        _ = try await agent.handle(.network(.measure(container: container, bridge: "br0", probe: try probe(seconds: 3))))
        let commands = await runner.commands
        #expect(!commands.contains { $0.contains("ethtool") })
        #expect(commands.contains { $0.contains("--client") && $0.contains("3") })
    }

    @Test("iperf3's own error fails the test naming the direction, and the probe is removed all the same")
    func iperfError() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let refused = #"{"start":{},"intervals":[],"end":{},"error":"unable to connect to server: Connection refused"}"#
        let runner = host(egress: refused, ingress: refused)
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        let error = await #expect(throws: KennelError.self) {
            try await agent.handle(.network(.measure(container: container, bridge: "br0", probe: try probe())))
        }
        #expect(error?.code == .hostFailure)
        #expect(error?.message.contains("out of the machine failed: unable to connect to server: Connection refused") == true)
        let commands = await runner.commands
        #expect(commands.suffix(3).first == ["ovs-vsctl", "--if-exists", "del-port", "br0", "kbw0a640003"])
        #expect(commands.last?.contains("neigh") == true)
        #expect(!commands.contains { $0.contains("--reverse") }, "nothing runs after the failed direction but the clean-up")
    }

    @Test("a host without iperf3 is told how to get it; nothing of the probe is left")
    func iperfMissing() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { argv in
            argv.contains("--server")
                ? CommandResult(status: 1, output: "", errorOutput: "exec of \"iperf3\" failed: No such file or directory")
                : CommandResult(status: 0, output: "system\n", errorOutput: "")
        }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        let error = await #expect(throws: KennelError.self) {
            try await agent.handle(.network(.measure(container: container, bridge: "br0", probe: try probe())))
        }
        #expect(error?.message.contains("kennel host prepare installs it") == true)
        #expect(await runner.commands.last?.contains("neigh") == true)
        #expect(await runner.commands.contains(["ip", "netns", "delete", "kbw0a640003"]))
    }

    @Test("leftover probes (namespaces and ports named kbw…) are removed at start-up; nothing else is touched")
    func leftovers() async throws {
        let runner = RecordingRunner { argv in
            let output =
                switch argv {
                case ["ip", "netns", "list"]: "kbw0a640003 (id: 3)\ne2e-v100 (id: 0)\n"
                case ["ovs-vsctl", "list-ports", "br0"]: "e2e-v100\nkbw0a640004\nvnet1\n"
                case ["ip", "netns", "pids", "kbw0a640003"]: "777\n"
                default: ""
                }
            return CommandResult(status: 0, output: output, errorOutput: "")
        }
        let agent = NodeAgent(runner: runner)
        let answer = try await agent.handle(.network(.removeProbes(bridge: "br0")))
        #expect(try JSONDecoder().decode(Int.self, from: answer) == 2)
        let commands = await runner.commands
        #expect(commands.contains(["kill", "-9", "777"]))
        #expect(commands.contains(["ip", "netns", "delete", "kbw0a640003"]) && commands.contains(["ip", "netns", "delete", "kbw0a640004"]))
        #expect(commands.contains(["ovs-vsctl", "--if-exists", "del-port", "br0", "kbw0a640004"]))
        #expect(!commands.contains { $0.contains("e2e-v100") || $0.contains("vnet1") })
    }

    @Test(
        "iperf3 reports: the receiver's count, or why there is none",
        arguments: [
            (report(50e6), UInt64(50_000_000) as UInt64?), (#"{"error":"the server is busy running a test"}"#, nil), ("", nil),
            (#"{"end":{"sum_received":{"bits_per_second":-1}}}"#, nil),
        ])
    func parsing(json: String, bits: UInt64?) throws {
        if let bits {
            #expect(try BandwidthProbe.receivedBitsPerSecond(inReport: json, direction: "into the machine") == bits)
        } else {
            #expect(throws: KennelError.self) { try BandwidthProbe.receivedBitsPerSecond(inReport: json, direction: "into the machine") }
        }
    }

    @Test("the measure request and its answer survive their JSON trip to the node unchanged")
    func codec() throws {
        let request = NodeRequest.network(.measure(container: container, bridge: "br0", probe: try probe(seconds: 7)))
        #expect(try JSONDecoder().decode(NodeRequest.self, from: try JSONEncoder().encode(request)) == request)
        let sample = BandwidthSample(egressBitsPerSecond: 1, ingressBitsPerSecond: 2)
        #expect(try JSONDecoder().decode(BandwidthSample.self, from: try JSONEncoder().encode(sample)) == sample)
    }

    @Test("the probe's name is kbw and its address in hex: unique per borrowed address, short enough for Linux")
    func naming() throws {
        #expect(try probe().name == "kbw0a640003")
        let highest = ProbeSpec(
            address: try IPv4Address(parsing: "255.255.255.254"), prefix: 8, vlan: try VLANID(4094),
            machineAddress: try IPv4Address(parsing: "255.0.0.1"), seconds: 30)
        #expect(highest.name == "kbwfffffffe")
        #expect(highest.name.count <= 15)
    }
}
