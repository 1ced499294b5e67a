import Foundation
import KennelControl
@testable import KennelHost
import KennelModel
import Testing

@Suite("Disk used by machines' root filesystems")
struct DiskUsageTests {
    @Test("du counts each root filesystem's own blocks, never what a planted symlink points at; machines without files are left out")
    func realDu() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-du-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let paths = HostPaths(machinesRoot: root.path)
        let web1 = try Hostname(parsing: "web-01")
        let web3 = try Hostname(parsing: "web-03")
        let rootfs = URL(fileURLWithPath: paths.rootfs(of: web1))
        try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true)
        try Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }).write(to: rootfs.appendingPathComponent("blob"))
        let outside = root.appendingPathComponent("host-secret")
        try Data(repeating: 1, count: 16 << 20).write(to: outside)
        try FileManager.default.createSymbolicLink(at: rootfs.appendingPathComponent("link"), withDestinationURL: outside)
        try FileManager.default.createDirectory(atPath: paths.rootfs(of: web3), withIntermediateDirectories: true)
        let driver = RootfsDriver(paths: paths, runner: LocalCommandRunner(), volumeDriver: standardVolumeDrivers)
        let used = try await driver.diskUsed(by: [web1, try Hostname(parsing: "web-02"), web3])
        #expect(Set(used.keys) == ["web-01", "web-03"])
        let web1Bytes = try #require(used["web-01"])
        #expect(web1Bytes >= 4 << 20 && web1Bytes < 8 << 20)
        #expect(try #require(used["web-03"]) < 1 << 20)
    }

    @Test(
        "du's lines map back to machines; anything else is ignored",
        arguments: [
            ("1024\t/m/web-01/rootfs\n2048\t/m/web-02/rootfs\n", ["web-01": UInt64(1024), "web-02": 2048]),
            ("du: cannot read\n512\t/m/web-01/rootfs\n", ["web-01": 512]),
            ("x\t/m/web-01/rootfs\n4096\t/elsewhere\n", [:]),
        ])
    func parsing(output: String, expected: [String: UInt64]) throws {
        let names = ["/m/web-01/rootfs": try Hostname(parsing: "web-01"), "/m/web-02/rootfs": try Hostname(parsing: "web-02")]
        #expect(RootfsDriver.parseDiskUsage(output, names: names) == expected)
    }
}
