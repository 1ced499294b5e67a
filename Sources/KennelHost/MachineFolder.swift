import Foundation
import KennelGuest
import KennelModel

/// A machine's folder on this host (`machines/NAME`): its root filesystem path, where its
/// volume is mounted, and the identity files written there. Machines made before volumes
/// have a plain directory there instead, marked by `image.sha256` beside it; they keep it.
public struct MachineFolder: Sendable {
    private let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// Whether the machine has a directory root filesystem from before volumes.
    public func hasDirectoryRootfs(_ machine: Hostname) -> Bool {
        FileManager.default.fileExists(atPath: paths.directory(of: machine) + "/image.sha256")
    }

    /// Writes `files` into the machine's root filesystem, which must be provisioned.
    public func writeFiles(_ files: [GuestFile], for machine: Hostname) throws {
        let rootfs = URL(fileURLWithPath: paths.rootfs(of: machine))
        guard FileManager.default.fileExists(atPath: rootfs.path) else {
            throw KennelError(.hostFailure, "machine \(machine) has no root filesystem on this host yet")
        }
        for file in files { try write(file, under: rootfs) }
    }

    /// Removes the machine's folder (its volume unmounted first); nothing to do when it
    /// is gone.
    public func remove(_ machine: Hostname) throws {
        let directory = paths.directory(of: machine)
        guard FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ file: GuestFile, under rootfs: URL) throws {
        guard file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
            throw KennelError(.internal, "guest file path \(file.path) escapes the root filesystem")
        }
        let target = rootfs.appendingPathComponent(String(file.path.dropFirst()))
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A symlink planted inside the guest must not redirect the write to the host.
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) != nil {
            try FileManager.default.removeItem(at: target)
        }
        try Data(file.contents.utf8).write(to: target, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: target.path)
    }
}
