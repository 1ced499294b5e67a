import Foundation
import KennelModel

/// The peer of a bandwidth self-test: a network namespace on the host's bridge with an
/// OVS internal port on the machine's VLAN, an address borrowed from its pool, and an
/// iperf3 server. iperf3's client runs in the machine's network namespace (the host's
/// binary, entered with `nsenter`), so the traffic crosses the machine's `eth0` and its
/// veth — and both of Kennel's htb qdiscs — while the machine's CPU limit and anything
/// installed inside it play no part.
public struct ProbeSpec: Sendable, Equatable, Codable {
    /// The probe's address and the prefix of the machine's subnet.
    public let address: IPv4Address
    public let prefix: Int
    public let vlan: VLANID
    /// The machine's own address (its neighbour entry for the probe is removed after).
    public let machineAddress: IPv4Address
    /// How long each direction is measured, after one second left out.
    public let seconds: Int

    public init(address: IPv4Address, prefix: Int, vlan: VLANID, machineAddress: IPv4Address, seconds: Int) {
        self.address = address
        self.prefix = prefix
        self.vlan = vlan
        self.machineAddress = machineAddress
        self.seconds = seconds
    }

    /// The namespace's and the OVS port's name: `kbw` and the address in hex (one probe
    /// per borrowed address, at most 15 characters as Linux wants for an interface).
    public var name: String {
        let hex = String(address.value, radix: 16)
        return "kbw" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// Sets up the probe, runs iperf3 both ways, and removes the probe whatever happens.
struct BandwidthProbe: Sendable {
    let runner: any CommandRunner
    let bridge: String
    let spec: ProbeSpec
    /// The machine's network namespace, as `nsenter` names it (`--net=/proc/PID/ns/net`).
    let machineNamespace: String
    /// Whether the bridge runs OVS's userspace datapath (checksum offload off on the probe).
    let userspaceDatapath: Bool

    /// iperf3's port in the probe's own namespace: nothing else listens there.
    static let port = 5201

    /// Both directions, in bits per second counted by the receiver.
    func measure() async throws -> BandwidthSample {
        await removeProbe()
        do {
            try await setUp()
            let egress = try await run(reverse: false)
            let ingress = try await run(reverse: true)
            await removeProbe()
            return BandwidthSample(egressBitsPerSecond: egress, ingressBitsPerSecond: ingress)
        } catch {
            await removeProbe()
            throw error
        }
    }

    /// The commands that make the probe, in order.
    var setUpCommands: [[String]] {
        let name = spec.name
        var commands = [
            ["ip", "netns", "add", name],
            ["ovs-vsctl", "add-port", bridge, name, "tag=\(spec.vlan.value)", "--", "set", "Interface", name, "type=internal"],
            ["ip", "link", "set", name, "netns", name],
            ["ip", "-n", name, "address", "add", "\(spec.address)/\(spec.prefix)", "dev", name],
            ["ip", "-n", name, "link", "set", name, "up"],
            ["ip", "-n", name, "link", "set", "lo", "up"],
        ]
        if userspaceDatapath { commands.append(["ip", "netns", "exec", name, "ethtool", "-K", name, "tx", "off"]) }
        commands.append([
            "ip", "netns", "exec", name, "iperf3", "--server", "--daemon", "--bind", "\(spec.address)", "--port", "\(Self.port)",
        ])
        return commands
    }

    /// iperf3's client in the machine's namespace: out of the machine, or into it with
    /// `reverse` (the probe sends).
    func clientCommand(reverse: Bool) -> [String] {
        ["nsenter", machineNamespace, "--", "iperf3", "--client", "\(spec.address)", "--port", "\(Self.port)"]
            + ["--time", "\(spec.seconds)", "--omit", "1", "--connect-timeout", "3000", "--json"] + (reverse ? ["--reverse"] : [])
    }

    private func setUp() async throws {
        for argv in setUpCommands {
            let result = try await runner.execute(argv[0], Array(argv.dropFirst()), input: nil)
            guard result.succeeded else {
                let what = argv.contains("iperf3") ? "starting iperf3 (kennel host prepare installs it)" : argv.prefix(4).joined(separator: " ")
                throw KennelError(.hostFailure, "bandwidth probe: \(what) failed: \(result.errorOutput.prefix(300))")
            }
        }
        try await waitUntilListening()
    }

    /// The daemon forks before it listens: wait (at most 5 s) until its socket is there.
    private func waitUntilListening() async throws {
        let check = ["ip", "netns", "exec", spec.name, "ss", "-H", "-l", "-t", "-n", "sport", "=", ":\(Self.port)"]
        for _ in 0..<100 {
            let result = try await runner.execute(check[0], Array(check.dropFirst()), input: nil)
            if result.succeeded, !result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw KennelError(.hostFailure, "bandwidth probe: iperf3 did not listen on \(spec.address):\(Self.port) within 5 s")
    }

    private func run(reverse: Bool) async throws -> UInt64 {
        let argv = clientCommand(reverse: reverse)
        let result = try await runner.execute(argv[0], Array(argv.dropFirst()), input: nil)
        let direction = reverse ? "into the machine" : "out of the machine"
        return try Self.receivedBitsPerSecond(inReport: result.output, direction: direction, errorOutput: result.errorOutput)
    }

    /// The receiver's count in iperf3's JSON report (`end.sum_received.bits_per_second`),
    /// or iperf3's own error.
    static func receivedBitsPerSecond(inReport json: String, direction: String, errorOutput: String = "") throws -> UInt64 {
        let report = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        if let error = report?["error"] as? String {
            throw KennelError(.hostFailure, "bandwidth probe: iperf3 \(direction) failed: \(error)")
        }
        guard let end = report?["end"] as? [String: Any], let received = end["sum_received"] as? [String: Any],
            let bits = received["bits_per_second"] as? Double, bits.isFinite, bits >= 0
        else {
            let said = errorOutput.isEmpty ? String(json.prefix(200)) : String(errorOutput.prefix(200))
            throw KennelError(.hostFailure, "bandwidth probe: iperf3 \(direction) gave no result: \(said)")
        }
        return UInt64(bits.rounded())
    }

    /// Every probe on the host removed — namespaces named `kbw…` with their processes, and
    /// `kbw…` ports on `bridge` — answering how many there were.
    static func removeAll(on bridge: String, runner: any CommandRunner) async throws -> Int {
        let namespaces = try await runner.run("ip", ["netns", "list"]).split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasPrefix("kbw") }
        let ports = try await runner.run("ovs-vsctl", ["list-ports", bridge]).split(separator: "\n").map(String.init).filter { $0.hasPrefix("kbw") }
        let names = Set(namespaces).union(ports)
        for name in names.sorted() { await remove(name, on: bridge, runner: runner) }
        return names.count
    }

    /// Everything the probe was, gone: its processes, port, namespace, and the machine's
    /// neighbour entry for its address (the address goes back to the pool). Each command
    /// runs whatever the last one did; a probe half made or already gone is no error.
    private func removeProbe() async {
        await Self.remove(spec.name, on: bridge, runner: runner)
        _ = try? await runner.execute(
            "nsenter", [machineNamespace, "--", "ip", "neigh", "del", "\(spec.address)", "dev", "eth0"], input: nil)
    }

    /// The probe `name`'s processes, port and namespace removed, each whatever the last did.
    private static func remove(_ name: String, on bridge: String, runner: any CommandRunner) async {
        if let pids = try? await runner.execute("ip", ["netns", "pids", name], input: nil), pids.succeeded {
            let listed = pids.output.split(whereSeparator: \.isWhitespace).map(String.init).filter { Int32($0) != nil }
            if !listed.isEmpty { _ = try? await runner.execute("kill", ["-9"] + listed, input: nil) }
        }
        _ = try? await runner.execute("ovs-vsctl", ["--if-exists", "del-port", bridge, name], input: nil)
        _ = try? await runner.execute("ip", ["netns", "delete", name], input: nil)
    }
}
