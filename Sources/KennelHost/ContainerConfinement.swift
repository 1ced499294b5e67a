import Foundation
import KennelModel
import Synchronization

/// Makes a container's view of the host's cgroup hierarchies read-only. libvirt LXC
/// bind-mounts each hierarchy whole and writable at `/sys/fs/cgroup/CONTROLLER` inside the
/// container; cgroup v1 files need no capability to write, so root inside could raise its
/// own `memory.limit_in_bytes`, move itself to the root cgroup or freeze a neighbour.
/// util-linux `mount -N` (the host's binary and libraries, entering the container's mount
/// namespace only for the system call, options from neither fstab nor mtab, the path not
/// canonicalized there) remounts each of those mounts read-only; without `CAP_SYS_ADMIN`
/// root inside cannot make them writable again. Nothing from the guest's disk runs.
struct ContainerConfinement {
    let runner: any CommandRunner
    let inspection: ContainerInspection
    /// The containers already found read-only (kept by the agent across requests).
    var confined = ConfinedContainers()
    /// Where libvirt's LXC driver keeps a `NAME.pid` (the controller's PID) per running domain.
    var libvirtState = "/run/libvirt/lxc"
    /// The cap on the container's tasks, set before its mounts are locked.
    var processLimit = ContainerProcessLimit()

    /// Where libvirt mounts the hierarchies inside a container.
    static let cgroupRoot = "/sys/fs/cgroup"

    /// The mount points at or under `cgroupRoot` that are writable, from a
    /// `/proc/PID/mountinfo` (mount point: field 5, octal-escaped; its own options: field 6).
    static func writableCgroupMounts(inMountInfo text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 5 else { return nil }
            let mountPoint = unescape(String(fields[4]))
            guard mountPoint == cgroupRoot || mountPoint.hasPrefix(cgroupRoot + "/") else { return nil }
            return fields[5].split(separator: ",").contains("rw") ? mountPoint : nil
        }
    }

    /// mountinfo writes a space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`.
    private static func unescape(_ field: String) -> String {
        var result = ""
        var rest = Substring(field)
        while let slash = rest.firstIndex(of: "\\") {
            result += rest[..<slash]
            let code = rest[rest.index(after: slash)...].prefix(3)
            if code.count == 3, let value = UInt8(code, radix: 8) {
                result.append(Character(UnicodeScalar(value)))
                rest = rest[rest.index(slash, offsetBy: 4)...]
            } else {
                result.append("\\")
                rest = rest[rest.index(after: slash)...]
            }
        }
        return result + rest
    }

    /// `mount` arguments that remount `mountPoint` read-only inside the mount namespace of `initPID`.
    static func remountArguments(initPID: Int32, mountPoint: String) -> [String] {
        [
            "-N", "/proc/\(initPID)/ns/mnt", "--no-canonicalize", "--options-source", "disable", "-o", "remount,bind,ro", "--",
            mountPoint,
        ]
    }

    /// Caps the tasks of `machine`'s container (`ContainerProcessLimit`; without `tasks`, a
    /// limit it has is kept), then remounts its writable cgroup mounts read-only and checks
    /// that none is left writable; answers whether any mount needed it. Its init waits for
    /// the mounts, so what it starts is already counted.
    @discardableResult
    func lock(initPID: Int32, machine: String, tasks: Int?) async throws -> Bool {
        try processLimit.apply(tasks, to: machine, initPID: initPID)
        let identity = inspection.identity(of: initPID)
        let writable = Self.writableCgroupMounts(inMountInfo: try mountInfo(of: initPID))
        guard !writable.isEmpty else {
            if let identity { confined.insert(identity) }
            return false
        }
        // All at once: the machine's init waits for the last of them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for mountPoint in writable {
                group.addTask {
                    let result = try await runner.execute("mount", Self.remountArguments(initPID: initPID, mountPoint: mountPoint), input: nil)
                    guard result.succeeded else {
                        throw KennelError(.hostFailure, "cannot make \(mountPoint) read-only in the container: \(result.errorOutput.prefix(300))")
                    }
                }
            }
            try await group.waitForAll()
        }
        let left = Self.writableCgroupMounts(inMountInfo: try mountInfo(of: initPID))
        guard left.isEmpty else { throw KennelError(.hostFailure, "\(left.joined(separator: ", ")) stayed writable in the container") }
        if let identity { confined.insert(identity) }
        return true
    }

    /// Locks every running libvirt LXC container on the host (found as the children of
    /// `libvirt_lxc` controllers), each capped to its machine's entry in `tasks`; answers the
    /// names of those whose mounts needed it. A container already locked is not read again:
    /// root inside cannot make a mount writable (no `CAP_SYS_ADMIN`) nor leave its `pids`
    /// cgroup (it does not see it), and a container libvirt starts again has a new init. So
    /// a pass over a host costs a few small reads per container, however many mounts each has.
    func lockAll(tasks: [String: Int]) async throws -> [String] {
        var locked: [String] = []
        var running: Set<ProcessIdentity> = []
        for (controller, name) in controllers() {
            guard let initPID = inspection.initPID(ofController: controller) else { continue }
            if let identity = inspection.identity(of: initPID) {
                running.insert(identity)
                if confined.contains(identity) { continue }
            }
            if try await lock(initPID: initPID, machine: name, tasks: tasks[name]) { locked.append(name) }
        }
        confined.keep(only: running)
        return locked.sorted()
    }

    private func mountInfo(of pid: Int32) throws -> String {
        try String(contentsOfFile: "\(inspection.proc)/\(pid)/mountinfo", encoding: .utf8)
    }

    /// The `libvirt_lxc` processes and the domain each runs (`--name NAME` in its command
    /// line): the PIDs libvirt wrote in its state directory, or, where there is none, every
    /// process. Only a process that is a controller counts (a PID file may be stale).
    private func controllers() -> [(Int32, String)] {
        let candidates: [Int32]
        if let files = try? FileManager.default.contentsOfDirectory(atPath: libvirtState) {
            candidates = files.filter { $0.hasSuffix(".pid") && $0 != "driver.pid" }.compactMap { file in
                (try? String(contentsOfFile: "\(libvirtState)/\(file)", encoding: .utf8)).flatMap {
                    Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        } else {
            candidates = ((try? FileManager.default.contentsOfDirectory(atPath: inspection.proc)) ?? []).compactMap { Int32($0) }
        }
        return candidates.compactMap { pid in
            guard let comm = try? String(contentsOfFile: "\(inspection.proc)/\(pid)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == "libvirt_lxc",
                let data = FileManager.default.contents(atPath: "\(inspection.proc)/\(pid)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let flag = arguments.firstIndex(of: "--name"), flag + 1 < arguments.count else { return nil }
            return (pid, arguments[flag + 1])
        }
    }
}

/// The container inits found with read-only cgroup mounts, shared by the copies of an
/// agent (a node session or the control plane's local host keeps one for its life).
final class ConfinedContainers: Sendable {
    private let known = Mutex<Set<ProcessIdentity>>([])

    func contains(_ process: ProcessIdentity) -> Bool { known.withLock { $0.contains(process) } }
    func insert(_ process: ProcessIdentity) { known.withLock { _ = $0.insert(process) } }
    /// Forgets the processes not in `running` (ended containers).
    func keep(only running: Set<ProcessIdentity>) { known.withLock { $0.formIntersection(running) } }
}
