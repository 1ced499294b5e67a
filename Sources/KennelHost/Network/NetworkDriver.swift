import Foundation
import KennelControl
import KennelModel

/// The network concern on a host: what a running container's interface needs beyond
/// what libvirt does — checksum offload off on userspace-datapath bridges, rules on its
/// OVS port that let out only its own MAC and address (`PortGuard`), and its bandwidth
/// shaped with htb in both directions.
///
/// Traffic into the machine is shaped on the egress of the host side of its veth (`vnetN`);
/// traffic out of it on the egress of the container's `eth0`, set from the host through
/// the container's network namespace. The machine runs without CAP_NET_ADMIN, so root
/// inside cannot remove or change that qdisc; and it works on both OVS datapaths (an
/// ingress qdisc on the host side would not: the userspace datapath reads packets before
/// the ingress hook).
struct NetworkDriver: Sendable {
    let runner: any CommandRunner
    let inspection: ContainerInspection

    func handle(_ request: NetworkRequest) async throws -> Data {
        switch request {
        case .attach(let container, let bridge, let shaping, let portGuard):
            try await attach(container, bridge: bridge, guardedBy: portGuard)
            if let shaping { try await shape(container, shaping) }
        case .shape(let container, let shaping):
            try await shape(container, shaping)
        case .release(let bridge, let portGuard):
            _ = try await runner.run("ovs-ofctl", ["del-flows", bridge, portGuard.cookieMatch])
        case .audit(let bridge, let expected):
            return try NodeReply.encode(try await audit(expected, on: bridge))
        case .measure(let container, let bridge, let probe):
            let namespace = "--net=/proc/\(try initPID(of: container))/ns/net"
            let measurement = BandwidthProbe(
                runner: runner, bridge: bridge, spec: probe, machineNamespace: namespace,
                userspaceDatapath: try await isUserspace(bridge))
            return try NodeReply.encode(try await measurement.measure())
        case .removeProbes(let bridge):
            return try NodeReply.encode(try await BandwidthProbe.removeAll(on: bridge, runner: runner))
        }
        return try NodeReply.encode(Done())
    }

    /// Turns checksum offload off where the bridge needs it and guards the port: one
    /// `ovs-vsctl` for the bridge's datapath and the port's number, one `ovs-ofctl` for its
    /// rules (each command a process start, which a create waits for).
    private func attach(_ container: ContainerProcess, bridge: String, guardedBy portGuard: PortGuard?) async throws {
        var device: String?
        if portGuard != nil {
            guard let hostSide = container.hostInterface else {
                throw KennelError(.hostFailure, "the host side of the container's interface is unknown; its port cannot be guarded")
            }
            device = hostSide
        }
        let facts = try await bridgeFacts(bridge, portOf: device)
        if facts.userspace { try await checksumOffloadOff(container) }
        if let portGuard, let device { try await install(portGuard, port: facts.port, of: device, on: bridge) }
    }

    /// On a userspace-datapath (netdev) bridge, TCP needs checksum offload off on both
    /// ends of the container's veth; kernel-datapath bridges need nothing.
    private func checksumOffloadOff(_ container: ContainerProcess) async throws {
        let initPID = try self.initPID(of: container)
        if let device = container.hostInterface {
            _ = try await runner.run("ethtool", ["-K", device, "tx", "off"])
        }
        _ = try await runner.run("nsenter", ["--net=/proc/\(initPID)/ns/net", "--", "ethtool", "-K", "eth0", "tx", "off"])
    }

    /// Whether `bridge` runs OVS's userspace datapath (`netdev`).
    private func isUserspace(_ bridge: String) async throws -> Bool {
        try await bridgeFacts(bridge, portOf: nil).userspace
    }

    /// Whether `bridge` runs the userspace datapath and, when `device` is given, the
    /// OpenFlow port OVS gave it, from one `ovs-vsctl` (its answers one per line).
    private func bridgeFacts(_ bridge: String, portOf device: String?) async throws -> (userspace: Bool, port: String) {
        var arguments = ["get", "bridge", bridge, "datapath_type"]
        if let device { arguments += ["--", "get", "Interface", device, "ofport"] }
        let lines = try await runner.run("ovs-vsctl", arguments).split(separator: "\n", omittingEmptySubsequences: false)
        let field = { (index: Int) in
            lines.count > index ? lines[index].trimmingCharacters(in: CharacterSet(charactersIn: "\"\n ")) : ""
        }
        return (field(0) == "netdev", field(1))
    }

    /// The running machines among `expected` whose rules or inbound shaping drifted: three
    /// listings for the whole host, whatever the number of machines.
    private func audit(_ expected: [PortExpectation], on bridge: String) async throws -> [UUID] {
        guard !expected.isEmpty else { return [] }
        let interfaces = try await runner.run("ovs-vsctl", ["--format=json", "--columns=name,ofport,external_ids", "list", "Interface"])
        let flows = try await runner.run("ovs-ofctl", ["--no-names", "dump-flows", bridge])
        let qdiscs = try await runner.run("tc", ["qdisc", "show"])
        return NetworkAudit.drifted(
            expected, ports: NetworkAudit.ports(inInterfaceListing: interfaces), rules: NetworkAudit.rules(inFlowDump: flows),
            shaped: NetworkAudit.shapedDevices(inQdiscListing: qdiscs))
    }

    /// Replaces the machine's port rules in one `ovs-ofctl`: the old ones (a previous
    /// veth's port) are deleted, then the new ones name `port`, the one the container has now.
    private func install(_ portGuard: PortGuard, port answer: String, of device: String, on bridge: String) async throws {
        guard let port = Int(answer), port > 0 else { throw KennelError(.hostFailure, "OVS gave \(device) no OpenFlow port ('\(answer)')") }
        let result = try await runner.execute("ovs-ofctl", ["add-flows", bridge, "-"], input: portGuard.replacement(port: port))
        guard result.succeeded else { throw KennelError(.hostFailure, "ovs-ofctl add-flows on \(bridge) failed: \(result.errorOutput.prefix(300))") }
    }

    /// Shapes both directions to the machine's limits (a direction without one loses its
    /// shaping).
    private func shape(_ container: ContainerProcess, _ shaping: Shaping) async throws {
        let initPID = try self.initPID(of: container)
        guard let hostSide = container.hostInterface else {
            throw KennelError(.hostFailure, "the host side of the container's interface is unknown; its traffic cannot be shaped")
        }
        try await apply(shaping.ingress, to: hostSide, namespace: [])
        try await apply(shaping.egress, to: "eth0", namespace: ["--net=/proc/\(initPID)/ns/net"])
    }

    /// Runs tc on `device`, on the host (`namespace` empty) or through `nsenter`.
    private func apply(_ rate: UInt64?, to device: String, namespace: [String]) async throws {
        func tc(_ argv: [String]) async throws -> CommandResult {
            namespace.isEmpty
                ? try await runner.execute(argv[0], Array(argv.dropFirst()), input: nil)
                : try await runner.execute("nsenter", namespace + ["--"] + argv, input: nil)
        }
        let shaped = HTBShaping.isShaped(try await tc(["tc", "qdisc", "show", "dev", device]).output)
        if let rate {
            for argv in HTBShaping(rate: Bandwidth(bitsPerSecond: rate)).commands(device: device, shaped: shaped) {
                let result = try await tc(argv)
                guard result.succeeded else {
                    throw KennelError(.hostFailure, "\(argv.prefix(3).joined(separator: " ")) on \(device) failed: \(result.errorOutput.prefix(300))")
                }
            }
        } else if shaped {
            _ = try await tc(HTBShaping.removal(device: device))
        }
    }

    private func initPID(of container: ContainerProcess) throws -> Int32 {
        guard let initPID = inspection.initPID(ofController: container.controllerPID) else {
            throw KennelError(.hostFailure, "container of controller \(container.controllerPID) has no init")
        }
        return initPID
    }
}
