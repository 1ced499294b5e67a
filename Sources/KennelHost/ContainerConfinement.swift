import Foundation
import KennelModel

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

    /// Remounts the container's writable cgroup mounts read-only, then checks that none is
    /// left writable; answers whether there was anything to do.
    @discardableResult
    func lock(initPID: Int32) async throws -> Bool {
        let writable = Self.writableCgroupMounts(inMountInfo: try mountInfo(of: initPID))
        guard !writable.isEmpty else { return false }
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
        return true
    }

    /// Locks every running libvirt LXC container on the host (found as the children of
    /// `libvirt_lxc` controllers); answers the names of those that needed it.
    func lockAll() async throws -> [String] {
        var locked: [String] = []
        for (controller, name) in controllers() {
            guard let initPID = inspection.initPID(ofController: controller) else { continue }
            if try await lock(initPID: initPID) { locked.append(name) }
        }
        return locked.sorted()
    }

    private func mountInfo(of pid: Int32) throws -> String {
        try String(contentsOfFile: "\(inspection.proc)/\(pid)/mountinfo", encoding: .utf8)
    }

    /// The `libvirt_lxc` processes and the domain each runs (`--name NAME` in its command line).
    private func controllers() -> [(Int32, String)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: inspection.proc)) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry),
                let comm = try? String(contentsOfFile: "\(inspection.proc)/\(entry)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == "libvirt_lxc",
                let data = FileManager.default.contents(atPath: "\(inspection.proc)/\(entry)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let flag = arguments.firstIndex(of: "--name"), flag + 1 < arguments.count else { return nil }
            return (pid, arguments[flag + 1])
        }
    }
}
