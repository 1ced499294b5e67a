import Foundation
@testable import KennelHost
import KennelModel
import Testing

@Suite("Container confinement: the cgroup mounts libvirt leaves writable are remounted read-only")
struct ContainerConfinementTests {
    static let writable = """
        30 1 7:3 / / rw,relatime - xfs /dev/loop3 rw
        40 30 0:50 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=64k
        41 40 0:51 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        42 40 0:52 / /sys/fs/cgroup/cpu ro,relatime - cgroup cgroup rw,cpu
        43 40 0:53 / /sys/fs/cgroup/name\\040odd rw,relatime - cgroup cgroup rw,name=odd
        44 30 0:54 / /sys/fs/cgroupish rw,relatime - tmpfs tmpfs rw

        """

    @Test("writable mounts at or under /sys/fs/cgroup, by their own options (not the superblock's), names unescaped")
    func parse() {
        #expect(
            ContainerConfinement.writableCgroupMounts(inMountInfo: Self.writable) == [
                "/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/name odd",
            ])
        #expect(ContainerConfinement.writableCgroupMounts(inMountInfo: "garbage\n\n1 2 3\n").isEmpty)
    }

    @Test("the host's mount, entering only the mount namespace, options from neither fstab nor mtab, the path not canonicalized")
    func arguments() {
        #expect(
            ContainerConfinement.remountArguments(initPID: 101, mountPoint: "/sys/fs/cgroup/memory") == [
                "-N", "/proc/101/ns/mnt", "--no-canonicalize", "--options-source", "disable", "-o", "remount,bind,ro", "--",
                "/sys/fs/cgroup/memory",
            ])
    }

    @Test("lock remounts each writable one and checks; a mount that stays writable is an error; all read-only needs nothing")
    func lock() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let mountInfo = proc.appendingPathComponent("101/mountinfo")
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
        try Data(Self.writable.utf8).write(to: mountInfo)
        // A mount that works: each remount turns its line read-only.
        let working = RecordingRunner { argv in
            if argv[0] == "mount", let target = argv.last, var text = try? String(contentsOf: mountInfo, encoding: .utf8) {
                let escaped = target.replacingOccurrences(of: " ", with: "\\040")
                text = text.split(separator: "\n").map { line in
                    line.split(separator: " ")[4] == escaped ? line.replacingOccurrences(of: " rw,", with: " ro,") : String(line)
                }.joined(separator: "\n")
                try? Data(text.utf8).write(to: mountInfo)
            }
            return CommandResult(status: 0, output: "", errorOutput: "")
        }
        let limiter = try makeFakeCgroups(in: proc)
        var confinement = ContainerConfinement(runner: working, inspection: ContainerInspection(proc: proc.path))
        confinement.processLimit = limiter
        #expect(try await confinement.lock(initPID: 101, machine: "web-07", tasks: 4096))
        #expect(await working.commands.map { $0.last ?? "" }.sorted() == ["/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/name odd"])
        let taskLimit = proc.appendingPathComponent("cgroup/pids/kennel/web-07/pids.max")
        #expect(try String(contentsOf: taskLimit, encoding: .utf8) == "4096\n", "the tasks are capped too")
        #expect(try await !confinement.lock(initPID: 101, machine: "web-07", tasks: 8192), "no mount left to lock")
        #expect(await working.commands.count == 3)
        #expect(try String(contentsOf: taskLimit, encoding: .utf8) == "8192\n", "a new limit still applies (a live memory change)")

        try Data(Self.writable.utf8).write(to: mountInfo)
        let ignored = RecordingRunner()  // exits 0 but changes nothing
        await #expect(throws: KennelError.self) {
            var confinement = ContainerConfinement(runner: ignored, inspection: ContainerInspection(proc: proc.path))
            confinement.processLimit = limiter
            try await confinement.lock(initPID: 101, machine: "web-07", tasks: 4096)
        }
        let failing = RecordingRunner { _ in CommandResult(status: 32, output: "", errorOutput: "mount: permission denied") }
        await #expect(throws: KennelError.self) {
            var confinement = ContainerConfinement(runner: failing, inspection: ContainerInspection(proc: proc.path))
            confinement.processLimit = limiter
            try await confinement.lock(initPID: 101, machine: "web-07", tasks: 4096)
        }
    }

    @Test("without libvirt's state directory, lockAll finds every libvirt_lxc controller among all processes, its domain's name and its container")
    func lockAll() async throws {
        let proc = try makeFakeProc()  // controller 100, init 101
        defer { try? FileManager.default.removeItem(at: proc) }
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
        try Data(Self.writable.utf8).write(to: proc.appendingPathComponent("101/mountinfo"))
        try Data("libvirt_lxc\n".utf8).write(to: proc.appendingPathComponent("100/comm"))
        try Data("/usr/lib/libvirt/libvirt_lxc\0--name\0web-07\0--console\u{0}25\0".utf8).write(to: proc.appendingPathComponent("100/cmdline"))
        // Another process is not a controller.
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("200"), withIntermediateDirectories: true)
        try Data("bash\n".utf8).write(to: proc.appendingPathComponent("200/comm"))
        let runner = RecordingRunner { _ in CommandResult(status: 1, output: "", errorOutput: "refused") }
        var confinement = ContainerConfinement(runner: runner, inspection: ContainerInspection(proc: proc.path))
        confinement.libvirtState = proc.appendingPathComponent("no-such-directory").path
        confinement.processLimit = try makeFakeCgroups(in: proc)
        await #expect(throws: KennelError.self) { _ = try await confinement.lockAll(tasks: ["web-07": 2048]) }
        #expect(await runner.commands.first?.prefix(3) == ["mount", "-N", "/proc/101/ns/mnt"])
        try Data(Self.writable.replacingOccurrences(of: " rw,", with: " ro,").utf8).write(to: proc.appendingPathComponent("101/mountinfo"))
        #expect(try await confinement.lockAll(tasks: ["web-07": 2048]).isEmpty)
        #expect(
            try String(contentsOf: proc.appendingPathComponent("cgroup/pids/kennel/web-07/pids.max"), encoding: .utf8) == "2048\n",
            "each container capped at its machine's limit")
    }

    /// A `/proc/PID/stat` line whose command name holds spaces and parentheses, started at `ticks`.
    static func stat(pid: Int32, started ticks: UInt64) -> String {
        "\(pid) (init (odd) name) S 100 101 101 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 \(ticks) 2703360 200 18446744073709551615\n"
    }

    @Test("a process's identity is its PID and its start time (field 22), whatever its name holds")
    func identity() throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
        try Data(Self.stat(pid: 101, started: 4242).utf8).write(to: proc.appendingPathComponent("101/stat"))
        #expect(ContainerInspection(proc: proc.path).identity(of: 101) == ProcessIdentity(pid: 101, startTime: 4242))
        #expect(ContainerInspection(proc: proc.path).identity(of: 102) == nil)
    }

    @Test(
        "lockAll reads a container found read-only once; a new init (libvirt started it again) is read and locked; controllers from libvirt's PID files"
    )
    func lockAllRemembers() async throws {
        let proc = try makeFakeProc()  // controller 100, init 101
        defer { try? FileManager.default.removeItem(at: proc) }
        let state = proc.appendingPathComponent("libvirt-lxc")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
        try Data("100".utf8).write(to: state.appendingPathComponent("web-07.pid"))
        try Data("1".utf8).write(to: state.appendingPathComponent("driver.pid"))
        try Data("4000".utf8).write(to: state.appendingPathComponent("gone.pid"))  // stale: no such process
        try Data("libvirt_lxc\n".utf8).write(to: proc.appendingPathComponent("100/comm"))
        try Data("/usr/lib/libvirt/libvirt_lxc\0--name\0web-07\0".utf8).write(to: proc.appendingPathComponent("100/cmdline"))
        try Data(Self.stat(pid: 101, started: 500).utf8).write(to: proc.appendingPathComponent("101/stat"))
        let mountInfo = proc.appendingPathComponent("101/mountinfo")
        let readOnly = Self.writable.replacingOccurrences(of: " rw,", with: " ro,")
        // Each remount leaves the container read-only.
        let runner = RecordingRunner { _ in
            try? Data(readOnly.utf8).write(to: mountInfo)
            return CommandResult(status: 0, output: "", errorOutput: "")
        }
        var confinement = ContainerConfinement(runner: runner, inspection: ContainerInspection(proc: proc.path))
        confinement.libvirtState = state.path
        confinement.processLimit = try makeFakeCgroups(in: proc)
        try Data(Self.writable.utf8).write(to: mountInfo)
        #expect(try await confinement.lockAll(tasks: [:]) == ["web-07"])
        let remounts = await runner.commands.count
        #expect(remounts == 3)
        // Found read-only: not read again (a writable mountinfo now would go unseen).
        try Data(Self.writable.utf8).write(to: mountInfo)
        #expect(try await confinement.lockAll(tasks: [:]).isEmpty)
        #expect(await runner.commands.count == remounts)
        // libvirt started the container again: a new init, read and locked.
        try Data(Self.stat(pid: 101, started: 900).utf8).write(to: proc.appendingPathComponent("101/stat"))
        #expect(try await confinement.lockAll(tasks: [:]) == ["web-07"])
        #expect(await runner.commands.count == 2 * remounts)
    }
}
