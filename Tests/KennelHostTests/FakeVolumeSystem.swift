import Foundation
import KennelControl
import KennelHost
import KennelModel

/// A command runner that plays the host's block layer for the volume drivers: files are
/// real (`truncate`, `cp` make them in a temporary directory), loop devices and mounts
/// are bookkeeping, and every argv is recorded.
actor FakeVolumeSystem: CommandRunner {
    private(set) var commands: [[String]] = []
    /// Attached loop devices: device → backing file.
    private(set) var loops: [String: String] = [:]
    /// Mounted paths: path → device or file.
    private(set) var mounts: [String: String] = [:]
    private var nextLoop = 0
    /// Whether `cp --reflink=always` works (an XFS or btrfs directory).
    var reflinks = true
    /// Commands (by program name) that fail.
    var failing: Set<String> = []
    /// What `resize2fs -P` says an ext4 needs at least, in 4 KiB blocks.
    var smallestBlocks: UInt64 = 100_000
    /// Logical volumes `lvs` reports: name → (bytes, origin), kept by lvcreate, lvextend,
    /// lvrename and lvremove.
    /// The thin pool `pool` (100 GiB) is there from the start.
    private(set) var logicalVolumes: [String: (bytes: UInt64, origin: String)] = ["pool": (100 << 30, "")]
    /// The volume group's size; `vgs` reports it less what the logical volumes take.
    var volumeGroupBytes: UInt64 = 1 << 40
    func set(volumeGroupBytes: UInt64) { self.volumeGroupBytes = volumeGroupBytes }
    /// Tags of logical volumes (`--addtag`), by name.
    private(set) var volumeTags: [String: String] = [:]

    /// What `findmnt --output SOURCE` names for the volume directory: a disk unless set.
    var volumeDirectorySource = "/dev/vda1"

    /// How long `cp` takes: zero unless set.
    var cloneDelay: Duration = .zero

    func set(reflinks: Bool) { self.reflinks = reflinks }
    func set(cloneDelay: Duration) { self.cloneDelay = cloneDelay }
    func set(volumeDirectorySource: String) { self.volumeDirectorySource = volumeDirectorySource }
    func fail(_ program: String) { failing.insert(program) }
    func set(smallestBlocks: UInt64) { self.smallestBlocks = smallestBlocks }
    func addVolume(_ name: String, bytes: UInt64, origin: String = "") { logicalVolumes[name] = (bytes, origin) }

    private var lvsReport: String {
        let rows = logicalVolumes.sorted { $0.key < $1.key }.map { name, volume in
            #"{"lv_name":"\#(name)", "lv_size":"\#(volume.bytes)", "origin":"\#(volume.origin)", "lv_tags":"\#(volumeTags[name] ?? "")"}"#
        }
        return #"{"report": [{"lv": [\#(rows.joined(separator: ","))]}]}"#
    }

    /// `--size 123b` or `--virtualsize 123b` in bytes.
    private func bytes(after option: String, in arguments: [String]) -> UInt64? {
        guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
        return UInt64(arguments[index + 1].dropLast())
    }

    private func volumeName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    private func lvm(_ program: String, _ arguments: [String]) {
        switch program {
        case "lvcreate":
            guard let index = arguments.firstIndex(of: "--name") else { return }
            let name = arguments[index + 1]
            if let tag = arguments.firstIndex(of: "--addtag") { volumeTags[name] = arguments[tag + 1] }
            if arguments.contains("--snapshot"), let origin = arguments.last.map(volumeName) {
                logicalVolumes[name] = (logicalVolumes[origin]?.bytes ?? 0, origin)
            } else {
                logicalVolumes[name] = (bytes(after: "--size", in: arguments) ?? bytes(after: "--virtualsize", in: arguments) ?? 0, "")
            }
        case "lvextend", "lvreduce":
            if let size = bytes(after: "--size", in: arguments), let name = arguments.last.map(volumeName) {
                logicalVolumes[name]?.bytes = size
            }
        case "lvrename":
            let names = Array(arguments.suffix(2))
            logicalVolumes[names[1]] = logicalVolumes.removeValue(forKey: names[0])
        case "lvremove": if let name = arguments.last.map(volumeName) { logicalVolumes[name] = nil }
        default: break
        }
    }

    /// A host reboot: loop devices and mounts are gone, files stay.
    func reboot() {
        loops = [:]
        mounts = [:]
    }

    /// The start of an XFS filesystem with `sectorSize`-byte sectors.
    static func xfsHeader(sectorSize: Int) -> Data {
        var bytes = [UInt8](repeating: 0, count: 2048)
        bytes.replaceSubrange(0..<4, with: Array("XFSB".utf8))
        bytes[102] = UInt8(sectorSize >> 8)
        bytes[103] = UInt8(sectorSize & 0xff)
        return Data(bytes)
    }

    /// The start of an ext4 filesystem with `blockSize`-byte blocks.
    static func ext4Header(blockSize: Int) -> Data {
        var bytes = [UInt8](repeating: 0, count: 2048)
        bytes[1024 + 24] = UInt8((blockSize / 1024).trailingZeroBitCount)
        bytes[1024 + 56] = 0x53
        bytes[1024 + 57] = 0xEF
        return Data(bytes)
    }

    /// The programs run, in order.
    var programs: [String] { commands.map { $0[0] } }

    func execute(_ executable: String, _ arguments: [String], input: String?) async throws -> CommandResult {
        commands.append([executable] + arguments)
        let ok = CommandResult(status: 0, output: "", errorOutput: "")
        // e2fsck's 1 means "errors fixed"; 8 is its operational error.
        let failed = CommandResult(status: executable == "e2fsck" ? 8 : 1, output: "", errorOutput: "\(executable) failed")
        if failing.contains(executable) { return failed }
        let operands = arguments.split(separator: "--", maxSplits: 1).last.map(Array.init) ?? []
        switch executable {
        case "gzip": return CommandResult(status: 0, output: "  100000   300000000  66.6% image.tar\n", errorOutput: "")
        case "truncate":
            guard let sizeIndex = arguments.firstIndex(of: "--size"), let size = UInt64(arguments[sizeIndex + 1]), let path = operands.first
            else { return failed }
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: size)
            try handle.close()
            return ok
        case "cp":
            if arguments.contains("--reflink=always") && !reflinks { return failed }
            // A clone that takes time lets other requests run meanwhile, as on a host.
            if cloneDelay > .zero { try await Task.sleep(for: cloneDelay) }
            // A sparse copy of the same length: the contents do not matter here.
            // Only the superblock is copied (the driver reads it to attach the clone).
            let length = try FileManager.default.attributesOfItem(atPath: operands[0])[.size] as? NSNumber
            let header = FileHandle(forReadingAtPath: operands[0]).flatMap { try? $0.read(upToCount: 2048) }
            // Into the same file when it exists, as cp does (a held partial file stays held).
            if !FileManager.default.fileExists(atPath: operands[1]) { _ = FileManager.default.createFile(atPath: operands[1], contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: operands[1]))
            try handle.truncate(atOffset: 0)
            if let header { try handle.write(contentsOf: header) }
            try handle.truncate(atOffset: length?.uint64Value ?? 0)
            try handle.close()
            return ok
        case "mountpoint": return mounts[operands[0]] != nil ? ok : CommandResult(status: 32, output: "", errorOutput: "")
        case "mount":
            mounts[operands[1]] = operands[0]
            return ok
        case "umount":
            mounts[operands[0]] = nil
            return ok
        case "losetup":
            if arguments.contains("--find") {
                let device = "/dev/loop\(nextLoop)"
                nextLoop += 1
                loops[device] = operands[0]
                return CommandResult(status: 0, output: device + "\n", errorOutput: "")
            }
            if let index = arguments.firstIndex(of: "--associated") {
                let file = arguments[index + 1]
                return CommandResult(status: 0, output: loops.filter { $0.value == file }.keys.sorted().joined(separator: "\n"), errorOutput: "")
            }
            if let index = arguments.firstIndex(of: "--detach") { loops[arguments[index + 1]] = nil }
            return ok
        case "mkfs.xfs", "mkfs.ext4":
            // The superblock fields the driver reads: XFS's sector size, ext4's block size.
            let option = executable == "mkfs.xfs" ? "-s" : "-b"
            let unit = arguments.firstIndex(of: option).flatMap { Int(arguments[$0 + 1].split(separator: "=").last ?? "") }
            let header = executable == "mkfs.xfs" ? Self.xfsHeader(sectorSize: unit ?? 512) : Self.ext4Header(blockSize: unit ?? 1024)
            if let path = operands.first, let handle = FileHandle(forWritingAtPath: path) {
                try handle.write(contentsOf: header)
                try handle.close()
            }
            return ok
        case "resize2fs" where arguments.first == "-P":
            return CommandResult(status: 0, output: "Estimated minimum size of the filesystem: \(smallestBlocks)\n", errorOutput: "")
        case "dumpe2fs":
            return CommandResult(status: 0, output: "Filesystem volume name:   <none>\nBlock size:               4096\n", errorOutput: "")
        case "findmnt": return CommandResult(status: 0, output: volumeDirectorySource + "\n", errorOutput: "")
        case "lvs": return CommandResult(status: 0, output: lvsReport, errorOutput: "")
        case "vgs":
            let used = logicalVolumes.values.reduce(UInt64(0)) { $0 + $1.bytes }
            let free = volumeGroupBytes > used ? volumeGroupBytes - used : 0
            return CommandResult(
                status: 0, output: #"{"report": [{"vg": [{"vg_size":"\#(volumeGroupBytes)", "vg_free":"\#(free)"}]}]}"#, errorOutput: "")
        case "lvcreate", "lvextend", "lvreduce", "lvrename", "lvremove":
            lvm(executable, arguments)
            return ok
        default: return ok
        }
    }
}

/// A volume driver for tests of the node's other steps: the machine's root filesystem is
/// a plain directory holding the unpacked image (real `tar`).
struct DirectoryVolumes: HostVolumes {
    let runner: any CommandRunner

    func provision(
        _ machine: Hostname, from image: VolumeImage, size: ByteSize, filesystem: FilesystemKind, mountedAt mountPoint: String
    ) async throws -> VolumeStatus {
        if !FileManager.default.fileExists(atPath: mountPoint + "/etc") {
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            _ = try await runner.run("tar", ["--extract", "--gzip", "--file", image.tarball, "--directory", mountPoint])
        }
        return VolumeStatus(sizeBytes: size.bytes, device: "/dev/null", filesystem: "directory")
    }

    func grow(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        VolumeStatus(sizeBytes: size.bytes, device: "/dev/null", filesystem: "directory")
    }

    func shrink(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        throw KennelError(.conflict, "a directory has no size to shrink", field: "disk")
    }

    func status(of machine: Hostname) async throws -> VolumeStatus? { nil }
    func remove(_ machine: Hostname, mountedAt mountPoint: String) async throws {}
    func pruneImages(keeping: Set<String>) async throws -> [String] { [] }
}
