import Foundation
import KennelControl
import KennelModel

/// Chooses the volume driver a host's setting names.
public typealias VolumeDriverChooser = @Sendable (VolumeConfig, any CommandRunner) -> any HostVolumes

/// The volume drivers of `KennelHost`: loop files or LVM.
public let standardVolumeDrivers: VolumeDriverChooser = { config, runner in
    switch config {
    case .loopfile(let directory): LoopfileVolumes(directory: directory, runner: runner)
    case .lvm(let group, let pool): LVMVolumes(volumeGroup: group, thinPool: pool, runner: runner)
    }
}

/// The root-filesystem concern on a host: images (verified before use) and each
/// machine's volume cloned from one.
struct RootfsDriver: Sendable {
    let paths: HostPaths
    let runner: any CommandRunner
    let volumeDriver: VolumeDriverChooser

    func handle(_ request: RootfsRequest) async throws -> Data {
        let verifier = ImageVerifier(runner: runner)
        switch request {
        case .provision(let machine, let image, let tarball, let sha256, let config, let size, let kind):
            let volumes = volumeDriver(config, runner)
            // A machine made before volumes keeps its directory root filesystem.
            if MachineFolder(paths: paths).hasDirectoryRootfs(machine), try await volumes.status(of: machine) == nil {
                return try NodeReply.encode(VolumeStatus?.none)
            }
            guard try await verifier.isVerified(tarball, sha256: sha256) else {
                throw KennelError(.hostFailure, "image \(image) is not on this host, or its file is damaged")
            }
            let status = try await volumes.provision(
                machine, from: VolumeImage(tarball: tarball, sha256: sha256), size: ByteSize(bytes: size), filesystem: kind,
                mountedAt: paths.rootfs(of: machine))
            return try NodeReply.encode(Optional(status))
        case .resize(let machine, let config, let size):
            let volumes = volumeDriver(config, runner)
            guard let current = try await volumes.status(of: machine) else {
                throw KennelError(.hostFailure, "machine \(machine) has no volume on this host")
            }
            let mountPoint = paths.rootfs(of: machine)
            let status =
                size < current.sizeBytes
                ? try await volumes.shrink(machine, to: ByteSize(bytes: size), mountedAt: mountPoint)
                : try await volumes.grow(machine, to: ByteSize(bytes: size), mountedAt: mountPoint)
            return try NodeReply.encode(status)
        case .volume(let machine, let config):
            return try NodeReply.encode(try await volumeDriver(config, runner).status(of: machine))
        case .remove(let machine, let config):
            try await volumeDriver(config, runner).remove(machine, mountedAt: paths.rootfs(of: machine))
            try MachineFolder(paths: paths).remove(machine)
            return try NodeReply.encode(Done())
        case .pruneImages(let config, let keeping):
            return try NodeReply.encode(try await volumeDriver(config, runner).pruneImages(keeping: Set(keeping)))
        case .imagePresent(let path, let sha256):
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try NodeReply.encode(try await verifier.isVerified(path, sha256: sha256))
        case .installImage(let partial, let path, let sha256):
            try await verifier.install(partial, as: path, sha256: sha256)
            return try NodeReply.encode(Done())
        case .diskUsed(let machines):
            return try NodeReply.encode(try await diskUsed(by: machines))
        }
    }

    /// `du` over the machines' root filesystems in one run: allocated bytes, staying on
    /// each one's file system and never following links planted in the guest. Files that
    /// vanish during the walk make du complain but not lie, so its lines are read anyway.
    func diskUsed(by machines: [Hostname]) async throws -> [String: UInt64] {
        var byPath: [String: Hostname] = [:]
        for machine in machines where FileManager.default.fileExists(atPath: paths.rootfs(of: machine)) {
            byPath[paths.rootfs(of: machine)] = machine
        }
        guard !byPath.isEmpty else { return [:] }
        let result = try await runner.execute("du", ["-s", "-B1", "-x", "-P", "--"] + byPath.keys.sorted(), input: nil)
        return Self.parseDiskUsage(result.output, names: byPath)
    }

    /// `BYTES<TAB>PATH` lines, by the machine each path belongs to.
    static func parseDiskUsage(_ output: String, names: [String: Hostname]) -> [String: UInt64] {
        var used: [String: UInt64] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, let bytes = UInt64(fields[0]), let machine = names[String(fields[1])] else { continue }
            used[machine.value] = bytes
        }
        return used
    }
}
