import Foundation
@testable import KennelHost
import KennelModel
import Testing

@Suite("Process limit: a container's tasks capped in the pids cgroup")
struct ContainerProcessLimitTests {
    @Test(
        "one task per 128 KiB of memory, at least 1024; a host gives at most a quarter of what it holds",
        arguments: [
            ("64M", 32768, 1024), ("512M", 32768, 4096), ("1G", 32768, 8192), ("4G", 32768, 8192), ("4G", 4_194_304, 32768),
            ("16G", 4_194_304, 131_072), ("512M", 2048, 512),
        ])
    func limit(memory: String, hostTasks: Int, expected: Int) throws {
        let tasks = ProcessLimit.tasks(forMemory: try ByteSize(parsing: memory))
        #expect(ProcessLimit.onHost(tasks, hostTasks: hostTasks) == expected)
    }

    @Test("the lines of /proc/PID/cgroup: hierarchy, controllers, path (colons in the path kept); anything else is refused")
    func memberships() throws {
        let parsed = try ContainerProcessLimit.memberships(inCgroupFile: "8:pids:/\n4:cpu,cpuacct:/machine/a:b\n0::/x.scope\n")
        #expect(
            parsed == [
                .init(hierarchy: 8, controllers: ["pids"], path: "/"), .init(hierarchy: 4, controllers: ["cpu", "cpuacct"], path: "/machine/a:b"),
                .init(hierarchy: 0, controllers: [], path: "/x.scope"),
            ])
        #expect(throws: KennelError.self) { try ContainerProcessLimit.memberships(inCgroupFile: "garbage\n") }
    }

    @Test("cgroup v1: every process of the container's memory cgroup moves to pids/kennel/NAME, whose pids.max is the limit")
    func version1() throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let limiter = try makeFakeCgroups(in: proc)
        let own = proc.appendingPathComponent("cgroup/pids/kennel/web-07")
        try limiter.apply(4096, to: "web-07", initPID: 101)
        #expect(try String(contentsOf: own.appendingPathComponent("pids.max"), encoding: .utf8) == "4096\n")
        #expect(try String(contentsOf: own.appendingPathComponent("cgroup.procs"), encoding: .utf8) == "100\n101\n")
        // Without a limit of its caller's, a limit set stays.
        try limiter.apply(nil, to: "web-07", initPID: 101)
        #expect(try String(contentsOf: own.appendingPathComponent("pids.max"), encoding: .utf8) == "4096\n")
        // ... and an unlimited cgroup gets the least.
        try Data("max\n".utf8).write(to: own.appendingPathComponent("pids.max"))
        try limiter.apply(nil, to: "web-07", initPID: 101)
        #expect(try String(contentsOf: own.appendingPathComponent("pids.max"), encoding: .utf8) == "1024\n")
        // More than a quarter of the host's process IDs is cut down.
        try limiter.apply(1_000_000, to: "web-07", initPID: 101)
        #expect(try String(contentsOf: own.appendingPathComponent("pids.max"), encoding: .utf8) == "8192\n")
        #expect(limiter.machinesLimited() == ["web-07"])
        // A domain of a name no machine can have is left alone (and its name never becomes a path).
        try limiter.apply(4096, to: "..", initPID: 101)
        #expect(try String(contentsOf: own.appendingPathComponent("pids.max"), encoding: .utf8) == "8192\n")
        #expect(try String(contentsOf: proc.appendingPathComponent("cgroup/pids/cgroup.procs"), encoding: .utf8) == "1\n100\n101\n")
    }

    @Test("a host whose pid_max was raised (as systemd does) is bounded by its threads-max instead")
    func threadsMax() throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let limiter = try makeFakeCgroups(in: proc, pidMax: 4_194_304)
        try limiter.apply(1_000_000, to: "web-07", initPID: 101)
        let limit = try String(contentsOf: proc.appendingPathComponent("cgroup/pids/kennel/web-07/pids.max"), encoding: .utf8)
        #expect(limit == "\(192_739 / 4)\n")
    }

    @Test("cgroup v1: a container whose processes cannot be moved (they keep coming back) is an error")
    func unmovable() throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let limiter = try makeFakeCgroups(in: proc)
        let procs = proc.appendingPathComponent("cgroup/pids/kennel/web-07/cgroup.procs")
        try FileManager.default.removeItem(at: procs)
        try FileManager.default.createDirectory(at: procs, withIntermediateDirectories: true)  // nothing can be written there
        #expect(throws: (any Error).self) { try limiter.apply(4096, to: "web-07", initPID: 101) }
    }

    @Test("the unified hierarchy: pids.max in the container's own cgroup; without the pids controller there, an error")
    func version2() throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let root = proc.appendingPathComponent("cgroup")
        let scope = root.appendingPathComponent("machine.slice/machine-lxc.scope")
        try FileManager.default.createDirectory(at: scope, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
        try Data("0::/machine.slice/machine-lxc.scope\n".utf8).write(to: proc.appendingPathComponent("101/cgroup"))
        let limiter = ContainerProcessLimit(cgroupRoot: root.path, proc: proc.path, hostLimitFiles: [proc.appendingPathComponent("none").path])
        #expect(throws: KennelError.self) { try limiter.apply(4096, to: "web-07", initPID: 101) }
        try Data("max\n".utf8).write(to: scope.appendingPathComponent("pids.max"))
        try limiter.apply(4096, to: "web-07", initPID: 101)
        #expect(try String(contentsOf: scope.appendingPathComponent("pids.max"), encoding: .utf8) == "4096\n")
        #expect(limiter.machinesLimited().isEmpty)
    }

    @Test("remove: nothing to do without the machine's cgroup")
    func removeMissing() async throws {
        let proc = try makeFakeProc()
        defer { try? FileManager.default.removeItem(at: proc) }
        let limiter = try makeFakeCgroups(in: proc)
        try await limiter.remove(machine: "web-99")
        #expect(limiter.machinesLimited() == ["web-07"])
    }
}
