import Foundation
import KennelControl
import KennelModel

/// Volumes as logical volumes of one volume group.
///
/// Per image version one image LV (`kennel-image-SHA`), formatted XFS and filled once per
/// host. With a thin pool, each machine's LV (`kennel-NAME`) is a thin snapshot of it
/// (instant, sharing every block) extended to the machine's size; without one, a thick LV
/// of the machine's size with the image LV copied in. Mounted at the machine's root
/// filesystem path and grown with `lvextend` + `xfs_growfs`. Every command goes through
/// argv; `lvs` answers JSON.
public struct LVMVolumes: HostVolumes {
    private let volumeGroup: String
    private let thinPool: String?
    private let runner: any CommandRunner
    private let filesystem: VolumeFilesystem

    /// Volumes in `volumeGroup`, thin snapshots in `thinPool` when given.
    public init(volumeGroup: String, thinPool: String?, runner: any CommandRunner) {
        self.volumeGroup = volumeGroup
        self.thinPool = thinPool
        self.runner = runner
        filesystem = VolumeFilesystem(runner: runner)
    }

    static func volumeName(of machine: Hostname) -> String { "kennel-\(machine)" }
    static func imageName(of sha256: String) -> String { "kennel-image-\(sha256.prefix(32))" }
    private func path(_ volume: String) -> String { "\(volumeGroup)/\(volume)" }
    private func device(_ volume: String) -> String { "/dev/\(volumeGroup)/\(volume)" }

    public func provision(_ machine: Hostname, from image: VolumeImage, size: ByteSize, mountedAt mountPoint: String) async throws
        -> VolumeStatus
    {
        let volume = Self.volumeName(of: machine)
        var clone: VolumeClone?
        if try await logicalVolumes()[volume] == nil {
            clone = try await create(volume, from: image, size: size)
        }
        do {
            _ = try await runner.run("lvchange", ["--activate", "y", "--ignoreactivationskip", path(volume)])
            try await filesystem.mount(device(volume), at: mountPoint)
            try await filesystem.grow(mountedAt: mountPoint)
            guard let bytes = try await logicalVolumes()[volume] else {
                throw KennelError(.hostFailure, "logical volume \(path(volume)) vanished while it was mounted")
            }
            return VolumeStatus(
                sizeBytes: bytes, device: device(volume), filesystem: "xfs", clone: clone)
        } catch {
            if clone != nil { try? await remove(machine, mountedAt: mountPoint) }
            throw error
        }
    }

    private func create(_ volume: String, from image: VolumeImage, size: ByteSize) async throws -> VolumeClone {
        let template = try await ensureImage(image)
        guard let templateBytes = try await logicalVolumes()[template], size.bytes >= templateBytes else {
            throw KennelError(.invalidField, "disk \(size) is smaller than the image's filesystem", field: "disk")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let method: CloneMethod
        if thinPool != nil {
            _ = try await runner.run(
                "lvcreate", ["--quiet", "--snapshot", "--setactivationskip", "n", "--name", volume, path(template)])
            method = .snapshot
        } else {
            _ = try await runner.run("lvcreate", ["--quiet", "--yes", "--size", "\(size.bytes)b", "--name", volume, volumeGroup])
            method = .copy
        }
        let elapsed = clock.now - started
        do {
            if thinPool != nil {
                if size.bytes > templateBytes {
                    _ = try await runner.run("lvextend", ["--quiet", "--size", "\(size.bytes)b", path(volume)])
                }
            } else {
                _ = try await runner.run(
                    "dd", ["if=\(device(template))", "of=\(device(volume))", "bs=4M", "conv=sparse,fsync", "status=none"])
            }
        } catch {
            _ = try? await runner.run("lvremove", ["--quiet", "--yes", path(volume)])
            throw error
        }
        return VolumeClone(method: method, milliseconds: elapsed.wholeMilliseconds)
    }

    /// The image LV, made once: created under a private name, formatted, filled and
    /// renamed, so a half-filled image LV never carries the image's name.
    private func ensureImage(_ image: VolumeImage) async throws -> String {
        let name = Self.imageName(of: image.sha256)
        if try await logicalVolumes()[name] != nil { return name }
        let partial = "\(name)-partial"
        let size = try await filesystem.templateSize(of: image)
        if try await logicalVolumes()[partial] != nil {
            _ = try await runner.run("lvremove", ["--quiet", "--yes", path(partial)])
        }
        if let thinPool {
            _ = try await runner.run(
                "lvcreate", ["--quiet", "--yes", "--thin", "--virtualsize", "\(size.bytes)b", "--name", partial, "\(volumeGroup)/\(thinPool)"])
        } else {
            _ = try await runner.run("lvcreate", ["--quiet", "--yes", "--size", "\(size.bytes)b", "--name", partial, volumeGroup])
        }
        do {
            try await filesystem.format(device(partial))
            try await filesystem.fill(device(partial), from: image, scratch: "/run/kennel-\(partial)")
            _ = try await runner.run("lvrename", ["--quiet", volumeGroup, partial, name])
        } catch {
            _ = try? await runner.run("lvremove", ["--quiet", "--yes", path(partial)])
            throw error
        }
        return name
    }

    public func grow(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        let volume = Self.volumeName(of: machine)
        guard let current = try await logicalVolumes()[volume] else {
            throw KennelError(.hostFailure, "machine \(machine) has no logical volume in \(volumeGroup)")
        }
        guard size.bytes >= current else {
            throw KennelError(.conflict, "the volume is \(ByteSize(bytes: current)); XFS cannot shrink to \(size)", field: "disk")
        }
        if size.bytes > current {
            _ = try await runner.run("lvextend", ["--quiet", "--size", "\(size.bytes)b", path(volume)])
        }
        if try await filesystem.isMounted(mountPoint) { try await filesystem.grow(mountedAt: mountPoint) }
        return VolumeStatus(sizeBytes: try await logicalVolumes()[volume] ?? size.bytes, device: device(volume), filesystem: "xfs")
    }

    public func status(of machine: Hostname) async throws -> VolumeStatus? {
        let volume = Self.volumeName(of: machine)
        guard let bytes = try await logicalVolumes()[volume] else { return nil }
        return VolumeStatus(sizeBytes: bytes, device: device(volume), filesystem: "xfs")
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
            let version = String(row.name.dropFirst("kennel-image-".count))
            guard !keeping.contains(where: { $0.hasPrefix(version) }), !origins.contains(row.name) else { continue }
            _ = try await runner.run("lvremove", ["--quiet", "--yes", path(row.name)])
            removed.append(version)
        }
        return removed
    }

    /// Sizes in bytes of the group's logical volumes, by name.
    private func logicalVolumes() async throws -> [String: UInt64] {
        Dictionary(try await logicalVolumeRows().map { ($0.name, $0.sizeBytes) }, uniquingKeysWith: { first, _ in first })
    }

    private func logicalVolumeRows() async throws -> [LVSReport.Volume] {
        let output = try await runner.run(
            "lvs", ["--reportformat", "json", "--units", "b", "--nosuffix", "--options", "lv_name,lv_size,origin", volumeGroup])
        return try LVSReport.volumes(in: output)
    }
}

/// `lvs --reportformat json` as LVM prints it: `{"report": [{"lv": [{"lv_name": …}]}]}`,
/// every value a string.
enum LVSReport {
    struct Volume: Equatable {
        let name: String
        let sizeBytes: UInt64
        let origin: String?
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

        enum CodingKeys: String, CodingKey {
            case name = "lv_name"
            case size = "lv_size"
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
            return Volume(name: row.name, sizeBytes: size, origin: row.origin.flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}
