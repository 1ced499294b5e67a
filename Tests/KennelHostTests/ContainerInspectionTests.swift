import Foundation
import KennelHost
import KennelModel
import Testing

@Suite("Looking at containers through /proc")
struct ContainerInspectionTests {
    private let tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 709254 1
           1: 0200640A:0016 FE00640A:C350 01 00000000:00000000 00:00000000 00000000     0        0 709999 1
           2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 709255 1
        """

    @Test("listening ports are the LISTEN (0A) rows; established connections are not")
    func listening() {
        #expect(ContainerInspection.listeningPorts(inTCPTable: tcp) == [22, 8080])
        #expect(ContainerInspection.listeningPorts(inTCPTable: "header only\n").isEmpty)
    }

    /// A fake /proc: controller 100 with child 101 (through `children`), whose network
    /// table lists sshd; controller 200 without a `children` file, child found by `stat`.
    private func fakeProc() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-proc-\(UUID())")
        let write = { (path: String, text: String) in
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("100/task/100/children", "101 ")
        try write("101/net/tcp", tcp)
        try write("101/net/tcp6", "header\n")
        try write("200/stat", "200 (libvirt_lxc) S 1 200 200 0")
        try write("201/stat", "201 (supervisord (x)) S 200 201 201 0")
        try write("202/stat", "202 (sshd) S 201 202 202 0")
        return root
    }

    @Test("the container's init is the controller's child, with or without CONFIG_PROC_CHILDREN")
    func initPID() throws {
        let root = try fakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let inspection = ContainerInspection(proc: root.path)
        #expect(inspection.initPID(ofController: 100) == 101)
        #expect(inspection.initPID(ofController: 200) == 201)
        #expect(inspection.initPID(ofController: 300) == nil)
        #expect(inspection.isListening(pid: 101, port: 22))
        #expect(!inspection.isListening(pid: 101, port: 443))
        #expect(!inspection.isListening(pid: 999, port: 22))
    }
}

@Suite("SSH targets from libvirt URIs")
struct SSHTargetTests {
    @Test("user, host, port, key file and host-key policy come from the URI")
    func parse() throws {
        let target = try #require(SSHTarget(libvirtURI: "lxc+ssh://root@10.0.0.5:2222/system?keyfile=/etc/kennel/id&no_verify=1"))
        #expect(target.user == "root")
        #expect(target.host == "10.0.0.5")
        #expect(target.port == 2222)
        #expect(target.keyFile == "/etc/kennel/id")
        #expect(!target.verifyHostKey)
        let plain = try #require(SSHTarget(libvirtURI: "lxc+ssh://h2.dc1/system"))
        #expect(plain.user == nil && plain.port == nil && plain.keyFile == nil && plain.verifyHostKey)
    }

    @Test(
        "local, simulated and non-SSH URIs are not SSH targets",
        arguments: ["lxc:///system", "test:///default", "lxc+tls://h2/system", "lxc+ssh:///system", "lxc+ssh://root@h/system?command=/x"])
    func notSSH(uri: String) {
        #expect(SSHTarget(libvirtURI: uri) == nil)
    }

    @Test("the remote command is argv after '--', never one shell string")
    func arguments() throws {
        let target = try #require(SSHTarget(libvirtURI: "lxc+ssh://root@h2:2222/system?keyfile=/k"))
        let argv = target.sshArguments(running: ["/usr/local/bin/kennel", "node", "call"])
        #expect(Array(argv.suffix(5)) == ["h2", "--", "/usr/local/bin/kennel", "node", "call"])
        #expect(argv.contains("BatchMode=yes"))
        #expect(argv.firstIndex(of: "-i").map { argv[$0 + 1] } == "/k")
        #expect(argv.firstIndex(of: "-p").map { argv[$0 + 1] } == "2222")
        #expect(argv.firstIndex(of: "-l").map { argv[$0 + 1] } == "root")
        #expect(!argv.contains("StrictHostKeyChecking=no"))
    }
}
