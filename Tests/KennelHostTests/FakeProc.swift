import Foundation
@testable import KennelHost

/// A `/proc` in a fresh directory where libvirt's controller (PID 100) has one child, the
/// container's init (PID 101). The caller removes it.
func makeFakeProc() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-proc-\(UUID())")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("100/task/100"), withIntermediateDirectories: true)
    try Data("101".utf8).write(to: root.appendingPathComponent("100/task/100/children"))
    return root
}

/// `makeFakeProc` where the container's init has something listening on TCP port 22.
func makeFakeProcWithSSHListening() throws -> URL {
    let root = try makeFakeProc()
    try FileManager.default.createDirectory(at: root.appendingPathComponent("101/net"), withIntermediateDirectories: true)
    try Data("h\n 0: 00000000:0016 00000000:0000 0A 0\n".utf8).write(to: root.appendingPathComponent("101/net/tcp"))
    return root
}

/// A cgroup v1 tree beside a `makeFakeProc` tree: the `pids` and `memory` hierarchies, the
/// container (controller 100, init 101) in `memory/machine/lxc-100-web-07.libvirt-lxc`,
/// `/proc/101/cgroup` saying so, a `kernel.pid_max` of `pidMax` and a `kernel.threads-max`
/// of 192739. Answers the limiter
/// that works on it; the caller removes `proc`.
func makeFakeCgroups(in proc: URL, pidMax: Int = 32768) throws -> ContainerProcessLimit {
    let root = proc.appendingPathComponent("cgroup")
    let container = root.appendingPathComponent("memory/machine/lxc-100-web-07.libvirt-lxc")
    try FileManager.default.createDirectory(at: container, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("pids"), withIntermediateDirectories: true)
    try Data("1\n100\n101\n".utf8).write(to: root.appendingPathComponent("pids/cgroup.procs"))
    try Data("100\n101\n".utf8).write(to: container.appendingPathComponent("cgroup.procs"))
    try FileManager.default.createDirectory(at: proc.appendingPathComponent("101"), withIntermediateDirectories: true)
    try Data(
        "9:name=systemd:/\n8:pids:/\n4:memory:/machine/lxc-100-web-07.libvirt-lxc\n1:cpu:/machine/lxc-100-web-07.libvirt-lxc\n0::/\n".utf8
    ).write(to: proc.appendingPathComponent("101/cgroup"))
    // What the kernel gives a cgroup directory when it is made.
    let own = root.appendingPathComponent("pids/kennel/web-07")
    try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
    try Data("max\n".utf8).write(to: own.appendingPathComponent("pids.max"))
    try Data().write(to: own.appendingPathComponent("cgroup.procs"))
    try Data("\(pidMax)\n".utf8).write(to: proc.appendingPathComponent("pid_max"))
    try Data("192739\n".utf8).write(to: proc.appendingPathComponent("threads-max"))
    return ContainerProcessLimit(
        cgroupRoot: root.path, proc: proc.path,
        hostLimitFiles: [proc.appendingPathComponent("pid_max").path, proc.appendingPathComponent("threads-max").path])
}
