import Foundation
@testable import KennelGuest
import Testing

@Suite("kennel-init waits for the host to make the cgroup mounts read-only")
struct InitConfinementTests {
    /// A container's mountinfo as libvirt leaves it, with the cgroup mounts' options given.
    static func mountInfo(cgroupOptions: [String]) -> String {
        let controllers = ["", "/cpu", "/memory", "/blkio"]
        let cgroups = zip(controllers, cgroupOptions).enumerated().map { index, pair in
            "\(40 + index) 30 0:\(50 + index) / /sys/fs/cgroup\(pair.0) \(pair.1) - cgroup cgroup rw,memory"
        }
        return
            ([
                "30 1 7:3 / / rw,relatime - xfs /dev/loop3 rw",
                "31 30 0:5 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro",
                "32 30 0:6 / /proc rw,nosuid - proc proc rw",
                "33 30 0:7 / /sys/fs/cgroupish rw,relatime - tmpfs tmpfs rw",
            ] + cgroups).joined(separator: "\n") + "\n"
    }

    @Test(
        "the check holds while any mount at or under /sys/fs/cgroup is writable, and ends when all are read-only",
        arguments: [
            (["rw,nosuid,nodev,noexec,relatime", "rw,relatime", "rw,relatime", "rw,relatime"], true),
            (["ro,nosuid,nodev,noexec,relatime", "ro,relatime", "rw,relatime", "ro,relatime"], true),
            (["ro,nosuid,nodev,noexec,relatime", "ro,relatime", "ro,relatime", "ro,relatime"], false),
        ])
    func check(options: [String], waits: Bool) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-mountinfo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(Self.mountInfo(cgroupOptions: options).utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/awk")
        process.arguments = [GuestInit.cgroupsWritable, file.path]
        try process.run()
        process.waitUntilExit()
        #expect((process.terminationStatus == 0) == waits)
    }

    @Test("kennel-init runs the check before it starts sshd or supervisord")
    func order() throws {
        let script = GuestInit.initScript
        let wait = try #require(script.range(of: "while awk '\(GuestInit.cgroupsWritable)' /proc/self/mountinfo"))
        let sshd = try #require(script.range(of: "/usr/sbin/sshd"))
        #expect(wait.upperBound < sshd.lowerBound)
    }
}
