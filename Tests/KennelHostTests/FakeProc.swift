import Foundation

/// A `/proc` in a fresh directory where libvirt's controller (PID 100) has one child, the
/// container's init (PID 101). The caller removes it.
func makeFakeProc() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-proc-\(UUID())")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("100/task/100"), withIntermediateDirectories: true)
    try Data("101".utf8).write(to: root.appendingPathComponent("100/task/100/children"))
    return root
}
