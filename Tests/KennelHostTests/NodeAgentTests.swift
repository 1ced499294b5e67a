import Foundation
import KennelControl
import KennelGuest
@testable import KennelHost
import KennelModel
import Testing

@Suite("Node agent steps")
struct NodeAgentTests {
    private let container = ContainerProcess(controllerPID: 100, hostInterface: "vnet7")

    @Test(
        "on a netdev bridge, attach turns checksum offload off on both veth ends",
        arguments: [("\"netdev\"\n", true), ("system\n", false), ("\"\"\n", false)])
    func attach(datapath: String, fixes: Bool) async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { argv in
            CommandResult(status: 0, output: argv.first == "ovs-vsctl" ? datapath : "", errorOutput: "")
        }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        _ = try await agent.handle(.network(.attach(container: container, bridge: "br0", shaping: nil, portGuard: nil)))
        let expected =
            [["ovs-vsctl", "get", "bridge", "br0", "datapath_type"]]
            + (fixes
                ? [
                    ["ethtool", "-K", "vnet7", "tx", "off"],
                    ["nsenter", "--net=/proc/101/ns/net", "--", "ethtool", "-K", "eth0", "tx", "off"],
                ] : [])
        #expect(await runner.commands == expected)
    }

    @Test("shaping: htb on the host side for traffic in, on the container's eth0 (through its namespace) for traffic out")
    func shaping() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner()
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        _ = try await agent.handle(.network(.shape(container: container, shaping: Shaping(ingress: 50_000_000, egress: 100_000_000))))
        let commands = await runner.commands.filter { !$0.contains("show") }
        #expect(commands[0] == ["tc", "qdisc", "replace", "dev", "vnet7", "root", "handle", "1:", "htb", "default", "1"])
        #expect(
            commands[1].prefix(13) == [
                "tc", "class", "replace", "dev", "vnet7", "parent", "1:", "classid", "1:1", "htb", "rate", "50000000bit", "ceil",
            ])
        let namespace = ["nsenter", "--net=/proc/101/ns/net", "--"]
        #expect(commands[2] == namespace + ["tc", "qdisc", "replace", "dev", "eth0", "root", "handle", "1:", "htb", "default", "1"])
        #expect(commands[3].contains("100000000bit"))
    }

    @Test("a live change of a shaped device changes only its class: htb cannot replace itself")
    func reshaping() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { argv in
            CommandResult(status: 0, output: argv.contains("show") ? "qdisc htb 1: root refcnt 2 r2q 10 default 0x1\n" : "", errorOutput: "")
        }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        _ = try await agent.handle(.network(.shape(container: container, shaping: Shaping(ingress: 50_000_000, egress: 20_000_000))))
        let changes = await runner.commands.filter { !$0.contains("show") }
        #expect(changes.count == 2 && changes.allSatisfy { $0.contains("class") })
        #expect(changes[1].contains("20000000bit"))
    }

    @Test("a direction without a limit loses Kennel's htb, and only when it has one")
    func unshaping() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { argv in
            let shaped = argv.contains("vnet7") && argv.contains("show")
            return CommandResult(
                status: 0, output: shaped ? "qdisc htb 1: root refcnt 2 r2q 10 default 0x1\n" : "qdisc noqueue 0: root\n", errorOutput: "")
        }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        _ = try await agent.handle(.network(.shape(container: container, shaping: Shaping(ingress: nil, egress: nil))))
        let commands = await runner.commands
        #expect(commands.contains(["tc", "qdisc", "del", "dev", "vnet7", "root"]))
        #expect(!commands.contains { $0.last == "root" && $0.contains("del") && $0.contains("eth0") })
    }

    @Test(
        "htb burst is 10 ms at the rate and at least ten frames; the quantum a millisecond's worth between a frame and 200,000 bytes",
        arguments: [
            (UInt64(1_000_000), UInt64(15_140), UInt64(1514)), (UInt64(100_000_000), UInt64(125_000), UInt64(12_500)),
            (UInt64(10_000_000_000), UInt64(12_500_000), UInt64(200_000)),
        ])
    func htbSizes(rate: UInt64, burst: UInt64, quantum: UInt64) {
        let shaping = HTBShaping(rate: Bandwidth(bitsPerSecond: rate))
        #expect(shaping.burst == burst && shaping.quantum == quantum)
    }

    @Test("attach guards the machine's OVS port: its old rules go, rules for the port it has now let out only its MAC and address")
    func portGuard() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { argv in
            CommandResult(status: 0, output: argv.contains("ofport") ? "\"system\"\n12\n" : "", errorOutput: "")
        }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path))
        let portGuard = PortGuard(mac: try MACAddress(parsing: "52:54:0a:64:00:02"), ip: try IPv4Address(parsing: "10.100.0.2"), cookie: 0xabc)
        _ = try await agent.handle(.network(.attach(container: container, bridge: "br0", shaping: nil, portGuard: portGuard)))
        let commands = await runner.commands
        #expect(
            commands == [
                ["ovs-vsctl", "get", "bridge", "br0", "datapath_type", "--", "get", "Interface", "vnet7", "ofport"],
                ["ovs-ofctl", "add-flows", "br0", "-"],
            ])
        #expect(await runner.inputs.last == "delete cookie=0xabc/-1\ndelete in_port=12\n" + portGuard.flows(port: 12))
        let flows = portGuard.flows(port: 12).split(separator: "\n")
        #expect(flows.count == 3 && flows.allSatisfy { $0.hasPrefix("cookie=0xabc,in_port=12,") })
        #expect(flows[0].contains("dl_src=52:54:0a:64:00:02,arp,arp_spa=10.100.0.2,arp_sha=52:54:0a:64:00:02,actions=NORMAL"))
        #expect(flows[1].contains("dl_src=52:54:0a:64:00:02,ip,nw_src=10.100.0.2,actions=NORMAL"))
        #expect(flows[2].hasSuffix("priority=290,actions=drop"))

        _ = try await agent.handle(.network(.release(bridge: "br0", portGuard: portGuard)))
        #expect(await runner.commands.last == ["ovs-ofctl", "del-flows", "br0", "cookie=0xabc/-1"])
    }

    @Test("a machine's rule cookie is the first 64 bits of its UUID")
    func cookie() throws {
        let uuid = try #require(UUID(uuidString: "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b"))
        #expect(PortGuard.cookie(of: uuid) == 0x6f1c_2a34_5b6d_4e7f)
        let portGuard = PortGuard(
            mac: try MACAddress(parsing: "52:54:0a:64:00:02"), ip: try IPv4Address(parsing: "10.0.0.2"), cookie: 0x6f1c_2a34_5b6d_4e7f)
        #expect(portGuard.cookieMatch == "cookie=0x6f1c2a345b6d4e7f/-1")
    }

    @Test("health asks supervisord's XML-RPC server with the host's curl in the machine's network namespace only, never the guest's supervisorctl")
    func health() async throws {
        let proc = try makeFakeProc()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-health-\(UUID())")
        defer {
            try? FileManager.default.removeItem(at: proc)
            try? FileManager.default.removeItem(at: directory)
        }
        let paths = HostPaths(machinesRoot: directory.path)
        let machine = try Hostname(parsing: "web-01")
        try FileManager.default.createDirectory(atPath: paths.rootfs(of: machine), withIntermediateDirectories: true)
        let runner = RecordingRunner { argv in
            if argv[0] == "ssh-keygen", let key = argv.last {  // keys made as ssh-keygen makes them
                _ = FileManager.default.createFile(atPath: key, contents: Data("private\n".utf8))
                _ = FileManager.default.createFile(atPath: key + ".pub", contents: Data("ssh-ed25519 AAAA root@web-01\n".utf8))
            }
            return CommandResult(status: 0, output: argv.contains("curl") ? SupervisorRPCTests.response : "", errorOutput: "")
        }
        let agent = NodeAgent(paths: paths, runner: runner, inspection: ContainerInspection(proc: proc.path))
        let ip = try IPv4Address(parsing: "10.0.0.2")
        // Before the machine's first start with a password, and for a caller that names no
        // machine: sshd only, nothing run.
        #expect(
            try await agent.answer(.inspection(.health(container: container, ip: ip, machine: machine)), as: MachineHealth.self)
                == MachineHealth(sshd: .down, programs: []))
        _ = try await agent.handle(.identity(.write(machine: machine, files: [])))
        let secret = try #require(SupervisorRPC(paths: paths, runner: runner).secret(of: machine))
        let guestFile = try String(contentsOfFile: paths.rootfs(of: machine) + SupervisorStatusServer.path, encoding: .utf8)
        #expect(guestFile.contains("password={SHA}") && !guestFile.contains(secret), "the guest keeps only the password's SHA-1")
        #expect(try await agent.answer(.inspection(.health(container: container, ip: ip)), as: MachineHealth.self).programs.isEmpty)
        let before = await runner.commands.count
        #expect(await runner.commands.allSatisfy { $0[0] == "ssh-keygen" }, "only the host keys were made so far")
        let reply = try await agent.answer(.inspection(.health(container: container, ip: ip, machine: machine)), as: MachineHealth.self)
        #expect(reply.sshd == .down && reply.programs.map(\.name) == ["cron", "sshd", "web:app-0"])
        let commands = Array(await runner.commands.dropFirst(before))
        #expect(commands == [["nsenter"] + SupervisorRPC.arguments(initPID: 101)])
        #expect(!commands.joined().contains("--all") && !commands.joined().contains("supervisorctl"))
        #expect(!commands.joined().contains { $0.contains(secret) }, "the password is not in argv")
        #expect(await runner.inputs.last == "user = \"kennel:\(secret)\"\n")
        // The password is made once and kept.
        _ = try await agent.handle(.identity(.write(machine: machine, files: [])))
        #expect(SupervisorRPC(paths: paths, runner: runner).secret(of: machine) == secret)
    }

    @Test("waiting for sshd gives up after the timeout when it never listens")
    func waitTimesOut() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let agent = NodeAgent(runner: RecordingRunner(), inspection: ContainerInspection(proc: proc.path))
        let reply = try await agent.answer(
            .inspection(.waitForSSH(container: container, ip: try IPv4Address(parsing: "10.0.0.2"), timeoutMilliseconds: 100)), as: Bool.self)
        #expect(reply == false)
    }

    @Test("sshd counts as up once it listens and answers a key scan on the machine's address")
    func waitSucceeds() async throws {
        let proc = try makeFakeProcWithSSHListening()
        defer { try? FileManager.default.removeItem(at: proc) }
        let runner = RecordingRunner { _ in CommandResult(status: 0, output: "10.0.0.2 ssh-ed25519 AAAA\n", errorOutput: "") }
        let agent = NodeAgent(runner: runner, inspection: ContainerInspection(proc: proc.path), sshProbe: .keyScan)
        let reply = try await agent.answer(
            .inspection(.waitForSSH(container: container, ip: try IPv4Address(parsing: "10.0.0.2"), timeoutMilliseconds: 5000)), as: Bool.self)
        #expect(reply == true)
        #expect(await runner.commands == [["nsenter", "--net=/proc/101/ns/net", "--", "ssh-keyscan", "-T", "2", "-t", "ed25519", "10.0.0.2"]])
    }

    @Test("with netcat, sshd counts as up when its version line comes back; anything else is not sshd answering")
    func waitForBanner() async throws {
        let proc = try makeFakeProcWithSSHListening()
        defer { try? FileManager.default.removeItem(at: proc) }
        let ip = try IPv4Address(parsing: "10.0.0.2")
        let sshd = RecordingRunner { _ in CommandResult(status: 0, output: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n", errorOutput: "") }
        let up = try await NodeAgent(runner: sshd, inspection: ContainerInspection(proc: proc.path), sshProbe: .banner).answer(
            .inspection(.waitForSSH(container: container, ip: ip, timeoutMilliseconds: 5000)), as: Bool.self)
        #expect(up == true)
        #expect(
            await sshd.commands == [["nsenter", "--net=/proc/101/ns/net", "--", "timeout", "2", "nc.openbsd", "-N", "-w", "2", "10.0.0.2", "22"]])
        // Something else listening on 22, or a connection closed before sshd spoke.
        for reply in ["HTTP/1.1 400 Bad Request\r\n", ""] {
            let other = RecordingRunner { _ in CommandResult(status: 0, output: reply, errorOutput: "") }
            let answered = try await NodeAgent(runner: other, inspection: ContainerInspection(proc: proc.path), sshProbe: .banner).answer(
                .inspection(.waitForSSH(container: container, ip: ip, timeoutMilliseconds: 50)), as: Bool.self)
            #expect(answered == false)
        }
    }

    @Test("provisioning makes each machine's SSH host keys once, refuses a symlinked /etc/ssh, and replaces a key the guest made a link")
    func hostKeys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-node-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = HostPaths(machinesRoot: directory.appendingPathComponent("machines").path)
        let tree = directory.appendingPathComponent("tree/etc")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try Data("ID=debian\n".utf8).write(to: tree.appendingPathComponent("os-release"))
        let tarball = directory.appendingPathComponent("image.tar.gz").path
        _ = try await LocalCommandRunner().run(
            "tar", ["--create", "--gzip", "--file", tarball, "--directory", directory.appendingPathComponent("tree").path, "."])
        let agent = NodeAgent(paths: paths, runner: LocalCommandRunner(), volumeDriver: { _, runner in DirectoryVolumes(runner: runner) })
        let sha = try await ImageVerifier(runner: LocalCommandRunner()).hash(of: tarball)
        let name = try Hostname(parsing: "web-01")
        _ = try await agent.provisionWhole(name, tarball: tarball, sha256: sha)
        let key = paths.rootfs(of: name) + "/etc/ssh/ssh_host_ed25519_key"
        let first = try String(contentsOfFile: key + ".pub", encoding: .utf8)
        #expect(first.hasSuffix("root@web-01\n"))
        #expect(FileManager.default.fileExists(atPath: paths.rootfs(of: name) + "/etc/ssh/ssh_host_ecdsa_key"))
        _ = try await agent.provisionWhole(name, tarball: tarball, sha256: sha)
        #expect(try String(contentsOfFile: key + ".pub", encoding: .utf8) == first)

        let other = try Hostname(parsing: "web-02")
        _ = try await agent.provisionWhole(other, tarball: tarball, sha256: sha)
        #expect(try String(contentsOfFile: paths.rootfs(of: other) + "/etc/ssh/ssh_host_ed25519_key.pub", encoding: .utf8) != first)

        let planted = try Hostname(parsing: "web-03")
        let rootfs = paths.rootfs(of: planted)
        _ = try await agent.provisionWhole(planted, tarball: tarball, sha256: sha)
        try FileManager.default.removeItem(atPath: rootfs + "/etc/ssh")
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc/ssh", withDestinationPath: directory.path)
        await #expect(throws: KennelError.self) {
            _ = try await agent.provisionWhole(planted, tarball: tarball, sha256: sha)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/ssh_host_ed25519_key"), "nothing was written through the link")

        // Root in a machine removes its key and leaves a link to a host path that does not
        // exist yet: the new key replaces the link, and no host file is made.
        let linked = try Hostname(parsing: "web-04")
        let linkedRoot = paths.rootfs(of: linked)
        _ = try await agent.provisionWhole(linked, tarball: tarball, sha256: sha)
        let hostTarget = directory.path + "/host-file-\(UUID().uuidString)"
        for name in ["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"] {
            try FileManager.default.removeItem(atPath: linkedRoot + "/etc/ssh/" + name)
            try FileManager.default.createSymbolicLink(atPath: linkedRoot + "/etc/ssh/" + name, withDestinationPath: hostTarget + name)
        }
        _ = try await agent.provisionWhole(linked, tarball: tarball, sha256: sha)
        #expect(!FileManager.default.fileExists(atPath: hostTarget + "ssh_host_ed25519_key"))
        #expect(!FileManager.default.fileExists(atPath: hostTarget + "ssh_host_ed25519_key.pub"))
        let attributes = try FileManager.default.attributesOfItem(atPath: linkedRoot + "/etc/ssh/ssh_host_ed25519_key")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: linkedRoot + "/etc/ssh/ssh_host_ed25519_key.pub", encoding: .utf8).hasSuffix("root@web-04\n"))
    }

    @Test("an image is present only when its file hashes right; a truncated copy is detected, removed and copied again")
    func imagePresent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-images-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("debian-12/debian-12-1.tar.gz").path
        let runner = LocalCommandRunner()
        let agent = NodeAgent(runner: runner)
        let whole = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let source = directory.appendingPathComponent("source.tar.gz")
        #expect(try await agent.answer(.rootfs(.imagePresent(path: path, sha256: "aa")), as: Bool.self) == false)
        try whole.write(to: source)
        let sha = try await ImageVerifier(runner: runner).hash(of: source.path)

        // An interrupted copy left a truncated file (and an old checksum file) in place.
        try whole.prefix(40_000).write(to: URL(fileURLWithPath: path))
        try Data("\(sha)  debian-12-1.tar.gz\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
        #expect(try await agent.answer(.rootfs(.imagePresent(path: path, sha256: sha)), as: Bool.self) == false)
        #expect(!FileManager.default.fileExists(atPath: path), "the damaged file is removed so that it is copied again")

        // A damaged copy is refused at install and leaves nothing.
        let partial = path + ".partial-1"
        try whole.prefix(10).write(to: URL(fileURLWithPath: partial))
        await #expect(throws: KennelError.self) {
            _ = try await agent.handle(.rootfs(.installImage(partial: partial, path: path, sha256: sha)))
        }
        #expect(!FileManager.default.fileExists(atPath: partial) && !FileManager.default.fileExists(atPath: path))

        // A whole copy is installed, then found present without hashing again.
        try whole.write(to: URL(fileURLWithPath: partial))
        #expect(try await agent.answer(.rootfs(.installImage(partial: partial, path: path, sha256: sha)), as: Done.self) == Done())
        #expect(try await agent.answer(.rootfs(.imagePresent(path: path, sha256: sha)), as: Bool.self) == true)
        let recording = RecordingRunner()
        #expect(try await NodeAgent(runner: recording).answer(.rootfs(.imagePresent(path: path, sha256: sha)), as: Bool.self) == true)
        #expect(await recording.commands.isEmpty, "a verified file is not hashed again while its size and time stay")
        #expect(try await agent.answer(.rootfs(.imagePresent(path: path, sha256: "bb")), as: Bool.self) == false)
    }

    @Test("requests and replies survive their JSON trip unchanged")
    func codec() throws {
        let request = NodeRequest.inspection(.waitForSSH(container: container, ip: try IPv4Address(parsing: "10.0.0.2"), timeoutMilliseconds: 1500))
        let data = try JSONEncoder().encode(request)
        #expect(try JSONDecoder().decode(NodeRequest.self, from: data) == request)
    }
}

extension NodeAgent {
    /// Carries out `request` and decodes its verb's answer.
    func answer<Reply: Decodable>(_ request: NodeRequest, as type: Reply.Type) async throws -> Reply {
        try JSONDecoder().decode(type, from: try await handle(request))
    }

    /// Provisions a machine as the runtime does: root filesystem, then identity.
    func provisionWhole(_ machine: Hostname, tarball: String, sha256: String) async throws {
        _ = try await handle(
            .rootfs(
                .provision(
                    machine: machine, image: .defaultImage, tarball: tarball, sha256: sha256, volumes: .standard, sizeBytes: 1 << 30, filesystem: .xfs
                )))
        _ = try await handle(.identity(.write(machine: machine, files: [])))
    }
}
