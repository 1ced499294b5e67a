import Foundation

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
