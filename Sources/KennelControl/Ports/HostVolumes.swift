import KennelModel

/// The image a volume is cloned from, as it lies on the host: its verified tarball and
/// the tarball's SHA-256, which names the image version.
public struct VolumeImage: Sendable, Equatable, Codable {
    public let tarball: String
    public let sha256: String

    public init(tarball: String, sha256: String) {
        self.tarball = tarball
        self.sha256 = sha256
    }
}

/// How a new volume got its image.
public enum CloneMethod: String, Sendable, Equatable, Codable {
    /// A copy-on-write file clone (`cp --reflink=always` on XFS or btrfs): instant.
    case reflink
    /// An LVM thin snapshot: instant.
    case snapshot
    /// A copy of every block: the slow fallback.
    case copy
}

/// The clone a provision made: how, and how long it took.
public struct VolumeClone: Sendable, Equatable, Codable {
    public let method: CloneMethod
    public let milliseconds: Int

    public init(method: CloneMethod, milliseconds: Int) {
        self.method = method
        self.milliseconds = milliseconds
    }
}

/// A machine's root volume as its host sees it.
public struct VolumeStatus: Sendable, Equatable, Codable {
    /// The block device's size in bytes: the most the machine can hold.
    public let sizeBytes: UInt64
    /// The block device the filesystem is on (`/dev/loop3`, `/dev/kennel/web-01`): where
    /// IO limits are applied.
    public let device: String
    /// The filesystem on it (`xfs` or `ext4`).
    public let filesystem: String
    /// The clone this call made; nil when the volume existed already.
    public let clone: VolumeClone?

    public init(sizeBytes: UInt64, device: String, filesystem: String, clone: VolumeClone? = nil) {
        self.sizeBytes = sizeBytes
        self.device = device
        self.filesystem = filesystem
        self.clone = clone
    }
}

/// Each machine's root filesystem on a volume of its own, so that the machine's `disk` is
/// a hard quota: cloned from a per-host template of its image, attached and mounted at the
/// machine's root filesystem path, grown online, removed with the machine. Drivers live
/// in `KennelHost` (loop files with XFS reflink clones, LVM thin snapshots) and run on the
/// host, behind `kennel node`. Every call is idempotent.
public protocol HostVolumes: Sendable {
    /// Gives `machine` a volume of `size` with `filesystem` cloned from `image` when it has
    /// none, attaches and mounts it at `mountPoint` when it is not (after a host reboot),
    /// and grows the filesystem to the volume. A new volume that fails half-way is removed
    /// again; an existing one keeps its filesystem and is never touched beyond attaching and
    /// mounting.
    func provision(
        _ machine: Hostname, from image: VolumeImage, size: ByteSize, filesystem: FilesystemKind, mountedAt mountPoint: String
    ) async throws -> VolumeStatus
    /// Grows the machine's volume to `size` and its filesystem with it, online when it is
    /// mounted; a smaller size is refused.
    func grow(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus
    /// Shrinks the machine's ext4 volume to `size`, offline: unmounted, checked, the
    /// filesystem shrunk, the volume cut, checked again, mounted back if it was. Refused
    /// (409 naming `disk`) for XFS and below what the files need. Only for a stopped
    /// machine: the control plane decides, and e2fsck's exclusive open fails on a
    /// filesystem still mounted in a container.
    func shrink(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus
    /// The machine's volume, nil when it has none.
    func status(of machine: Hostname) async throws -> VolumeStatus?
    /// Unmounts, detaches and deletes the machine's volume; no-op when it has none.
    func remove(_ machine: Hostname, mountedAt mountPoint: String) async throws
    /// Deletes image templates whose version is not in `keeping`; answers the versions
    /// removed. A template still cloned by a volume (LVM) is kept.
    func pruneImages(keeping: Set<String>) async throws -> [String]
}

extension HostVolumes {
    /// An XFS volume, the default.
    public func provision(_ machine: Hostname, from image: VolumeImage, size: ByteSize, mountedAt mountPoint: String) async throws
        -> VolumeStatus
    {
        try await provision(machine, from: image, size: size, filesystem: .xfs, mountedAt: mountPoint)
    }
}
