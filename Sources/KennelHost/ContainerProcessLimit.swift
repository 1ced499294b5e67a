import Foundation
import KennelModel

#if canImport(Glibc)
    import Glibc
#endif

/// Caps the tasks (processes and threads) a container may have (`ProcessLimit`). libvirt's
/// LXC driver puts a container in every cgroup v1 hierarchy it knows, but not in `pids`:
/// without this, root inside could fork or start threads until the host's process table is
/// full, and then no process on the host — sshd, libvirt, Kennel — could start.
///
/// On cgroup v1 the container's processes move to `pids/kennel/NAME` (made here, removed
/// with the machine), whose `pids.max` is the limit; what they start stays there (the
/// container sees no `pids` hierarchy and its cgroup mounts are read-only). On the unified
/// hierarchy the limit is written in the container's own cgroup.
struct ContainerProcessLimit {
    var cgroupRoot = "/sys/fs/cgroup"
    var proc = "/proc"
    /// The host's own limits on tasks in all: the lower one counts.
    var hostLimitFiles = ["/proc/sys/kernel/pid_max", "/proc/sys/kernel/threads-max"]

    /// The directory under the v1 `pids` hierarchy that holds one cgroup per machine.
    static let folder = "kennel"

    /// Limits the container whose init is `initPID` to `tasks` (at most a quarter of the
    /// tasks the host can hold). Its processes are moved in rounds until none is left outside (a
    /// process forked meanwhile is moved in the next round). Without `tasks` (a container
    /// the caller knows no machine of) a limit already set is kept, and a new one is
    /// `ProcessLimit.minimum`.
    func apply(_ tasks: Int?, to machine: String, initPID: Int32) throws {
        // A domain of a name no machine can have is not Kennel's (and its name is no path).
        guard (try? Hostname(parsing: machine)) != nil else { return }
        let memberships = try Self.memberships(inCgroupFile: read("\(proc)/\(initPID)/cgroup"))
        let limitFile: String
        var moveFrom: String?
        if isV1 {
            guard let container = memberships.first(where: { $0.controllers.contains("memory") })?.path else {
                throw KennelError(.hostFailure, "the container of \(machine) has no memory cgroup to take its processes from")
            }
            limitFile = try cgroup(of: machine) + "/pids.max"
            moveFrom = "\(cgroupRoot)/memory\(container)/cgroup.procs"
        } else {
            guard let unified = memberships.first(where: { $0.hierarchy == 0 })?.path,
                FileManager.default.fileExists(atPath: "\(cgroupRoot)\(unified)/pids.max")
            else {
                throw KennelError(.hostFailure, "the pids controller is not enabled for the cgroup of \(machine): its processes cannot be limited")
            }
            limitFile = "\(cgroupRoot)\(unified)/pids.max"
        }
        if let tasks {
            try write("\(ProcessLimit.onHost(tasks, hostTasks: hostTasks))", to: limitFile)
        } else if try read(limitFile).trimmingCharacters(in: .whitespacesAndNewlines) == "max" {
            try write("\(ProcessLimit.onHost(ProcessLimit.minimum, hostTasks: hostTasks))", to: limitFile)
        }
        if let moveFrom { try moveAll(from: moveFrom, to: ownPath(of: machine), machine: machine) }
    }

    /// Removes the machine's `pids` cgroup (v1), waiting up to 2 s for its last processes to
    /// be reaped; nothing to do when it has none.
    func remove(machine: String) async throws {
        guard (try? Hostname(parsing: machine)) != nil else { return }
        let path = ownPath(of: machine)
        for attempt in 0..<40 {
            if !FileManager.default.fileExists(atPath: path) || rmdir(path) == 0 { return }
            if attempt < 39 { try await Task.sleep(for: .milliseconds(50)) }
        }
        throw KennelError(.hostFailure, "cannot remove the pids cgroup \(path): processes are left in it")
    }

    /// The machines that have a `pids` cgroup of Kennel's on this host.
    func machinesLimited() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(cgroupRoot)/pids/\(Self.folder)")) ?? []).filter { name in
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: ownPath(of: name), isDirectory: &directory) && directory.boolValue
        }.sorted()
    }

    /// One line of `/proc/PID/cgroup`: `hierarchy-ID:controllers:path`.
    struct Membership: Equatable {
        let hierarchy: Int
        let controllers: [String]
        let path: String
    }

    static func memberships(inCgroupFile text: String) throws -> [Membership] {
        try text.split(separator: "\n").map { line in
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let hierarchy = Int(fields[0]), fields[2].hasPrefix("/") else {
                throw KennelError(.hostFailure, "unexpected line in a process's cgroup file: \(line.prefix(200))")
            }
            return Membership(hierarchy: hierarchy, controllers: fields[1].split(separator: ",").map(String.init), path: String(fields[2]))
        }
    }

    private var isV1: Bool { FileManager.default.fileExists(atPath: "\(cgroupRoot)/pids/cgroup.procs") }

    /// The fewest tasks any of `hostLimitFiles` allows (32768, the kernel's default
    /// pid_max, where none can be read).
    private var hostTasks: Int {
        hostLimitFiles.compactMap { file in (try? read(file)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }.min()
            ?? 32768
    }

    private func ownPath(of machine: String) -> String { "\(cgroupRoot)/pids/\(Self.folder)/\(machine)" }

    /// The machine's v1 `pids` cgroup, made when missing.
    private func cgroup(of machine: String) throws -> String {
        let path = ownPath(of: machine)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func moveAll(from members: String, to cgroup: String, machine: String) throws {
        for _ in 0..<10 {
            let inside = Set(try pids(in: "\(cgroup)/cgroup.procs"))
            let outside = try pids(in: members).filter { !inside.contains($0) }
            if outside.isEmpty { return }
            for pid in outside {
                // A process that ended meanwhile cannot be moved (ESRCH): nothing to do for it.
                try? write("\(pid)", to: "\(cgroup)/cgroup.procs", appending: true)
            }
        }
        throw KennelError(.hostFailure, "the processes of \(machine) kept multiplying while they were moved to their pids cgroup")
    }

    private func pids(in file: String) throws -> [Int32] {
        try read(file).split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    }

    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// One write(2) of `value`, as the shell's `>` does (cgroup files take one value per
    /// write and cannot be replaced by a rename); `appending`, as `>>` does (the kernel
    /// reads each write on its own either way).
    private func write(_ value: String, to path: String, appending: Bool = false) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw KennelError(.hostFailure, "cannot open \(path) to write")
        }
        defer { try? handle.close() }
        if appending { try handle.seekToEnd() } else { try handle.truncate(atOffset: 0) }
        try handle.write(contentsOf: Data((value + "\n").utf8))
    }
}
