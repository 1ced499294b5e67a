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

    /// Writes `files` into the machine's root filesystem, which must be provisioned,
    /// never following a link the guest made (`GuestRoot`): safe while it runs.
    public func writeFiles(_ files: [GuestFile], for machine: Hostname) throws {
        let rootfs = paths.rootfs(of: machine)
        guard FileManager.default.fileExists(atPath: rootfs) else {
            throw KennelError(.hostFailure, "machine \(machine) has no root filesystem on this host yet")
        }
        let root = GuestRoot(path: rootfs)
        for file in files { try root.write(file) }
    }

    /// Removes the machine's folder (its volume unmounted first); nothing to do when it
    /// is gone.
    public func remove(_ machine: Hostname) throws {
        let directory = paths.directory(of: machine)
        guard FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.removeItem(atPath: directory)
    }
}
