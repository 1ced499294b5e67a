import ArgumentParser
import Foundation
import KennelHost
import KennelModel

/// `kennel host prepare`: turns a fresh Debian host into a Kennel host by running
/// `Ops/host/prepare` there (locally, or over SSH with the script on standard input) and
/// installing this kennel binary as `/usr/local/bin/kennel` for `kennel node`.
struct HostPrepare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Prepare a host: libvirt LXC, Open vSwitch bridge and uplink trunk, cgroup fix, image and machine folders.",
        discussion: "Runs on this machine unless --uri names a remote host (lxc+ssh://root@HOST/system[?keyfile=PATH])."
    )

    @Option(help: ArgumentHelp("The host's libvirt URI; an lxc+ssh:// URI prepares that host over SSH.", valueName: "uri"))
    var uri: String = "lxc:///system"
    @Option(help: "Open vSwitch bridge to create.") var bridge: String = "br0"
    @Option(help: "Uplink interface to add to the bridge as a VLAN trunk.") var uplink: String?
    @Option(help: "OVS datapath: auto, system (kernel) or netdev (userspace).") var datapath: String = "auto"
    @Option(help: ArgumentHelp("The preparation script.", valueName: "path")) var script: String = "Ops/host/prepare"
    @Option(
        help: ArgumentHelp(
            "loop-pool:SIZE makes a loop-backed XFS pool of SIZE (e.g. 200G) at the volume directory, for disks that cannot reflink.",
            valueName: "loop-pool:SIZE"))
    var volumes: String?

    /// The pool's size in bytes, from `--volumes loop-pool:SIZE`.
    private var poolBytes: UInt64? {
        guard let volumes, volumes.hasPrefix("loop-pool:") else { return nil }
        return (try? ByteSize(parsing: String(volumes.dropFirst("loop-pool:".count))))?.bytes
    }

    func validate() throws {
        guard ["auto", "system", "netdev"].contains(datapath) else { throw ValidationError("--datapath: auto, system or netdev") }
        guard FileManager.default.isReadableFile(atPath: script) else { throw ValidationError("--script: cannot read \(script)") }
        if volumes != nil, (poolBytes ?? 0) < 1 << 30 {
            throw ValidationError("--volumes: write loop-pool:SIZE with a size of at least 1G, e.g. loop-pool:200G")
        }
    }

    func run() async throws {
        let runner = LocalCommandRunner()
        var options = ["--bridge", bridge, "--datapath", datapath]
        if let uplink { options += ["--uplink", uplink] }
        if let poolBytes { options += ["--volume-pool", String(poolBytes)] }
        let output: String
        if let target = SSHTarget(libvirtURI: uri) {
            let upload = "/tmp/kennel-upload"
            try await SSHNodeChannel(target: target).copy(KennelExecutable.path, to: upload)
            let text = try String(contentsOfFile: script, encoding: .utf8)
            output = try await runner.run("ssh", target.sshArguments(running: ["bash", "-s", "--"] + options + ["--kennel", upload]), input: text)
        } else {
            output = try await runner.run("bash", [script] + options + ["--kennel", KennelExecutable.path])
        }
        print(output, terminator: "")
    }
}
