import Foundation
import KennelControl
import KennelModel

/// Volumes as logical volumes of one volume group.
///
/// Per image version and filesystem one image LV (`kennel-image-SHA`, `…-ext4`), formatted
/// and filled once per host. With a thin pool, each machine's LV (`kennel-NAME`, tagged
/// `kennel_fs_xfs` or `kennel_fs_ext4`) is a thin snapshot of it (instant, sharing every
/// block) extended to the machine's size; without one, a thick LV of the machine's size
/// with the image LV copied in. Mounted at the machine's root filesystem path, grown with
/// `lvextend` + `xfs_growfs`/`resize2fs`; ext4 shrinks offline with `resize2fs` +
/// `lvreduce`. Every command goes through argv; `lvs` answers JSON. A thin pool is never
/// overcommitted (`VolumeCommitment`): the virtual sizes of Kennel's thin LVs add up to
/// at most the pool's size, checked and claimed under a lock in `lockDirectory`. Thick LVs
/// take their whole size when made, so the volume group cannot overcommit them.
public struct LVMVolumes: HostVolumes {
    private let volumeGroup: String
    private let thinPool: String?
    private let runner: any CommandRunner
    private let filesystem: VolumeFilesystem
    private let lock: VolumeStoreLock

    /// Volumes in `volumeGroup`, thin snapshots in `thinPool` when given; the pool's lock
    /// file in `lockDirectory`.
    public init(volumeGroup: String, thinPool: String?, runner: any CommandRunner, lockDirectory: String = "/run") {
        self.volumeGroup = volumeGroup
        self.thinPool = thinPool
        self.runner = runner
        filesystem = VolumeFilesystem(runner: runner)
        lock = VolumeStoreLock(path: "\(lockDirectory)/kennel-volumes-\(volumeGroup).lock")
    }

    /// Admits `bytes` more into the thin pool (or, without one, the volume group's free
    /// extents) under the store's lock and runs `claim` (which makes them count: an LV made
    /// or extended). What does not fit is `no_capacity` naming `disk` and the space left,
    /// never an LVM error after the fact.
    private func admitting<Value: Sendable>(
        _ bytes: UInt64, for purpose: String, _ claim: () async throws -> Value
    ) async throws -> Value {
        guard let thinPool else {
            return try await lock.admitting(
                bytes, into: "the volume group \(volumeGroup)", for: purpose, commitment: { try await groupCommitment() }, claim: claim)
        }
        return try await lock.admitting(
            bytes, into: "the thin pool \(volumeGroup)/\(thinPool)", for: purpose, commitment: { try await commitment(of: thinPool) },
            claim: claim)
    }

    /// The volume group's size against what its LVs take (Kennel's and any other).
    private func groupCommitment() async throws -> VolumeCommitment {
        let output = try await runner.run(
            "vgs", ["--reportformat", "json", "--units", "b", "--nosuffix", "--options", "vg_size,vg_free", volumeGroup])
        let space = try VGSReport.space(in: output)
        return VolumeCommitment(storeBytes: space.size, committedBytes: space.size - min(space.free, space.size), keepsReserve: false)
    }

    /// The virtual sizes of Kennel's LVs (`kennel-…`) against the thin pool's size.
    private func commitment(of thinPool: String) async throws -> VolumeCommitment {
        let rows = try await logicalVolumeRows()
        guard let pool = rows.first(where: { $0.name == thinPool }) else {
            throw KennelError(.hostFailure, "volume group \(volumeGroup) has no thin pool \(thinPool)")
        }
        let committed = rows.filter { $0.name.hasPrefix("kennel-") }.reduce(UInt64(0)) { $0 + $1.sizeBytes }
        return VolumeCommitment(storeBytes: pool.sizeBytes, committedBytes: committed)
    }

    static func volumeName(of machine: Hostname) -> String { "kennel-\(machine)" }
    static func imageName(of sha256: String, _ kind: FilesystemKind) -> String {
        "kennel-image-\(sha256.prefix(32))" + (kind == .xfs ? "" : "-\(kind)")
    }
    static func tag(_ kind: FilesystemKind) -> String { "kennel_fs_\(kind)" }
    private func path(_ volume: String) -> String { "\(volumeGroup)/\(volume)" }
    private func device(_ volume: String) -> String { "/dev/\(volumeGroup)/\(volume)" }

    public func provision(
        _ machine: Hostname, from image: VolumeImage, size: ByteSize, filesystem requested: FilesystemKind, mountedAt mountPoint: String
    ) async throws -> VolumeStatus {
        let volume = Self.volumeName(of: machine)
        var clone: VolumeClone?
        var kind = requested
        if let row = try await logicalVolumeRows().first(where: { $0.name == volume }) {
            kind = row.filesystem
        } else {
            clone = try await create(volume, from: image, kind, size: size)
        }
        do {
            _ = try await runner.run("lvchange", ["--activate", "y", "--ignoreactivationskip", path(volume)])
            if clone != nil { try await filesystem.growUnmounted(device(volume), kind, freshClone: true) }
            try await filesystem.mount(device(volume), kind, at: mountPoint)
            if kind == .xfs { try await filesystem.grow(device(volume), kind, mountedAt: mountPoint) }
            guard let bytes = try await logicalVolumes()[volume] else {
                throw KennelError(.hostFailure, "logical volume \(path(volume)) vanished while it was mounted")
            }
            return VolumeStatus(
                sizeBytes: bytes, device: device(volume), filesystem: kind.rawValue, clone: clone)
        } catch {
            if clone != nil { try? await remove(machine, mountedAt: mountPoint) }
            throw error
        }
    }

    private func create(_ volume: String, from image: VolumeImage, _ kind: FilesystemKind, size: ByteSize) async throws -> VolumeClone {
        let template = try await ensureImage(image, kind)
        guard let templateBytes = try await logicalVolumes()[template], size.bytes >= templateBytes else {
            throw KennelError(.invalidField, "disk \(size) is smaller than the image's filesystem", field: "disk")
        }
        let clock = ContinuousClock()
        let started = clock.now
        if thinPool != nil {
            // The snapshot and its extension are one claim: both under the pool's lock.
            let elapsed = try await admitting(size.bytes, for: "a \(size) volume") {
                _ = try await runner.run(
                    "lvcreate",
                    ["--quiet", "--snapshot", "--setactivationskip", "n", "--addtag", Self.tag(kind), "--name", volume, path(template)])
                let elapsed = clock.now - started
                do {
                    if size.bytes > templateBytes {
                        _ = try await runner.run("lvextend", ["--quiet", "--size", "\(size.bytes)b", path(volume)])
                    }
                } catch {
                    _ = try? await runner.run("lvremove", ["--quiet", "--yes", path(volume)])
                    throw error
                }
                return elapsed
            }
            return VolumeClone(method: .snapshot, milliseconds: elapsed.wholeMilliseconds)
        }
        try await admitting(size.bytes, for: "a \(size) volume") {
            _ = try await runner.run(
                "lvcreate", ["--quiet", "--yes", "--size", "\(size.bytes)b", "--addtag", Self.tag(kind), "--name", volume, volumeGroup])
        }
        let elapsed = clock.now - started
        do {
            _ = try await runner.run("dd", ["if=\(device(template))", "of=\(device(volume))", "bs=4M", "conv=sparse,fsync", "status=none"])
        } catch {
            _ = try? await runner.run("lvremove", ["--quiet", "--yes", path(volume)])
            throw error
        }
        return VolumeClone(method: .copy, milliseconds: elapsed.wholeMilliseconds)
    }

    /// The image LV, made once: created under a private name, formatted, filled and
    /// renamed, so a half-filled image LV never carries the image's name.
    private func ensureImage(_ image: VolumeImage, _ kind: FilesystemKind) async throws -> String {
        let name = Self.imageName(of: image.sha256, kind)
        if try await logicalVolumes()[name] != nil { return name }
        let partial = "\(name)-partial"
        let size = try await filesystem.templateSize(of: image)
        if try await logicalVolumes()[partial] != nil {
            _ = try await runner.run("lvremove", ["--quiet", "--yes", path(partial)])
        }
        if let thinPool {
            try await admitting(size.bytes, for: "the image's \(size) template") {
                _ = try await runner.run(
                    "lvcreate",
                    ["--quiet", "--yes", "--thin", "--virtualsize", "\(size.bytes)b", "--name", partial, "\(volumeGroup)/\(thinPool)"])
            }
        } else {
            _ = try await runner.run("lvcreate", ["--quiet", "--yes", "--size", "\(size.bytes)b", "--name", partial, volumeGroup])
        }
        do {
            try await filesystem.format(device(partial), kind)
            try await filesystem.fill(device(partial), kind, from: image, scratch: "/run/kennel-\(partial)")
            _ = try await runner.run("lvrename", ["--quiet", volumeGroup, partial, name])
        } catch {
            _ = try? await runner.run("lvremove", ["--quiet", "--yes", path(partial)])
            throw error
        }
        return name
    }

    /// The machine's LV as `lvs` reports it.
    private func row(of machine: Hostname) async throws -> LVSReport.Volume {
        let volume = Self.volumeName(of: machine)
        guard let row = try await logicalVolumeRows().first(where: { $0.name == volume }) else {
            throw KennelError(.hostFailure, "machine \(machine) has no logical volume in \(volumeGroup)")
        }
        return row
    }

    public func grow(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        let row = try await row(of: machine)
        guard size.bytes >= row.sizeBytes else {
            throw KennelError(.conflict, "the volume is \(ByteSize(bytes: row.sizeBytes)); a grow cannot make it \(size)", field: "disk")
        }
        if size.bytes > row.sizeBytes {
            try await admitting(size.bytes - row.sizeBytes, for: "growing by \(ByteSize(bytes: size.bytes - row.sizeBytes))") {
                _ = try await runner.run("lvextend", ["--quiet", "--size", "\(size.bytes)b", path(row.name)])
            }
        }
        if try await filesystem.isMounted(mountPoint) {
            try await filesystem.grow(device(row.name), row.filesystem, mountedAt: mountPoint)
        } else {
            try await filesystem.growUnmounted(device(row.name), row.filesystem, freshClone: false)
        }
        return VolumeStatus(
            sizeBytes: try await logicalVolumes()[row.name] ?? size.bytes, device: device(row.name), filesystem: row.filesystem.rawValue)
    }

    public func shrink(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        let row = try await row(of: machine)
        let kind = row.filesystem
        guard kind.canShrink else { throw KennelError(.conflict, "the volume of \(machine) is \(kind), which cannot shrink", field: "disk") }
        guard size.bytes < row.sizeBytes else { return try await grow(machine, to: size, mountedAt: mountPoint) }
        try await filesystem.shrinkOffline(device(row.name), kind, to: size, machine: machine, mountedAt: mountPoint) {
            _ = try await runner.run("lvreduce", ["--quiet", "--yes", "--force", "--size", "\(size.bytes)b", path(row.name)])
        }
        return VolumeStatus(sizeBytes: try await logicalVolumes()[row.name] ?? size.bytes, device: device(row.name), filesystem: kind.rawValue)
    }

    public func status(of machine: Hostname) async throws -> VolumeStatus? {
        let volume = Self.volumeName(of: machine)
        guard let row = try await logicalVolumeRows().first(where: { $0.name == volume }) else { return nil }
        return VolumeStatus(sizeBytes: row.sizeBytes, device: device(volume), filesystem: row.filesystem.rawValue)
    }

    public func remove(_ machine: Hostname, mountedAt mountPoint: String) async throws {
        try await filesystem.unmount(mountPoint)
        let volume = Self.volumeName(of: machine)
        guard try await logicalVolumes()[volume] != nil else { return }
        _ = try await runner.run("lvremove", ["--quiet", "--yes", path(volume)])
    }

    public func pruneImages(keeping: Set<String>) async throws -> [String] {
        let volumes = try await logicalVolumeRows()
        let origins = Set(volumes.compactMap(\.origin))
        var removed: [String] = []
        for row in volumes where row.name.hasPrefix("kennel-image-") && !row.name.hasSuffix("-partial") {
            var version = String(row.name.dropFirst("kennel-image-".count))
            if let kind = FilesystemKind.allCases.first(where: { version.hasSuffix("-\($0)") }) {
                version = String(version.dropLast(kind.rawValue.count + 1))
            }
            guard !keeping.contains(where: { $0.hasPrefix(version) }), !origins.contains(row.name) else { continue }
            _ = try await runner.run("lvremove", ["--quiet", "--yes", path(row.name)])
            if removed.last != version { removed.append(version) }
        }
        return removed
    }

    /// Sizes in bytes of the group's logical volumes, by name.
    private func logicalVolumes() async throws -> [String: UInt64] {
        Dictionary(try await logicalVolumeRows().map { ($0.name, $0.sizeBytes) }, uniquingKeysWith: { first, _ in first })
    }

    private func logicalVolumeRows() async throws -> [LVSReport.Volume] {
        let output = try await runner.run(
            "lvs", ["--reportformat", "json", "--units", "b", "--nosuffix", "--options", "lv_name,lv_size,origin,lv_tags", volumeGroup])
        return try LVSReport.volumes(in: output)
    }
}

/// `vgs --reportformat json` as LVM prints it: `{"report": [{"vg": [{"vg_size": …}]}]}`.
enum VGSReport {
    private struct Document: Decodable {
        let report: [Section]
    }

    private struct Section: Decodable {
        let vg: [Row]?
    }

    private struct Row: Decodable {
        let size: String
        let free: String

        enum CodingKeys: String, CodingKey {
            case size = "vg_size"
            case free = "vg_free"
        }
    }

    /// The group's size and free bytes (of the first group reported).
    static func space(in json: String) throws -> (size: UInt64, free: UInt64) {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)),
            let row = document.report.first?.vg?.first,
            let size = UInt64(row.size.trimmingCharacters(in: .whitespaces)), let free = UInt64(row.free.trimmingCharacters(in: .whitespaces))
        else { throw KennelError(.hostFailure, "vgs answered something that is not its JSON report: \(json.prefix(200))") }
        return (size, free)
    }
}

/// `lvs --reportformat json` as LVM prints it: `{"report": [{"lv": [{"lv_name": …}]}]}`,
/// every value a string.
enum LVSReport {
    struct Volume: Equatable {
        let name: String
        let sizeBytes: UInt64
        let origin: String?
        var tags: [String] = []

        /// The filesystem its `kennel_fs_…` tag names; XFS when untagged (volumes made
        /// before ext4 existed).
        var filesystem: FilesystemKind {
            FilesystemKind.allCases.first { tags.contains(LVMVolumes.tag($0)) } ?? .xfs
        }
    }

    private struct Document: Decodable {
        let report: [Section]
    }

    private struct Section: Decodable {
        let lv: [Row]?
    }

    private struct Row: Decodable {
        let name: String
        let size: String
        let origin: String?
        let tags: String?

        enum CodingKeys: String, CodingKey {
            case name = "lv_name"
            case size = "lv_size"
            case tags = "lv_tags"
            case origin
        }
    }

    static func volumes(in json: String) throws -> [Volume] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
        } catch {
            throw KennelError(.hostFailure, "lvs answered something that is not its JSON report: \(json.prefix(200))")
        }
        return document.report.flatMap { $0.lv ?? [] }.compactMap { row in
            guard let size = UInt64(row.size.trimmingCharacters(in: .whitespaces)) else { return nil }
            return Volume(
                name: row.name, sizeBytes: size, origin: row.origin.flatMap { $0.isEmpty ? nil : $0 },
                tags: (row.tags ?? "").split(separator: ",").map(String.init))
        }
    }
}
