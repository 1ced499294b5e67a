import Foundation
import KennelControl
import KennelModel

/// Volumes as filesystem image files in one directory, attached as loop devices.
///
/// Per image version and filesystem one template (`images/SHA256.4k.xfs` or `.4k.ext4`),
/// formatted with 4 KiB units and filled once per host; per machine a
/// `cp --reflink=always` clone of it (`NAME.xfs` or `NAME.ext4`: the suffix names the
/// filesystem; copy-on-write and instant on an XFS-with-reflink or btrfs directory; a
/// plain copy elsewhere, reported as `copy`), extended in-process, attached with
/// `losetup` (direct I/O with 4 KiB blocks, `FilesystemUnit`: the host caches the
/// machine's data once, in its filesystem, not again under the loop device, which halves
/// the memory a machine costs the host), mounted, and grown (`xfs_growfs`, `resize2fs`).
/// An ext4 volume shrinks offline: `e2fsck`, `resize2fs`, `truncate`, `e2fsck -n`. The
/// file's length is the machine's quota. The lengths of all files never add up to more
/// than the store holds (`VolumeCommitment`): a clone, a template and a grow are admitted
/// under the store's lock (`VolumeStoreLock`), or refused with `no_capacity`.
public struct LoopfileVolumes: HostVolumes {
    private let directory: String
    private let runner: any CommandRunner
    private let filesystem: VolumeFilesystem
    private let store: LoopfileStore
    private let lock: VolumeStoreLock

    /// Volumes in `directory`, made with `runner`.
    public init(directory: String, runner: any CommandRunner) {
        self.init(directory: directory, runner: runner, space: FilesystemSpace.of)
    }

    /// Volumes in `directory`, with the filesystem's space read by `space` (tests).
    init(directory: String, runner: any CommandRunner, space: @escaping @Sendable (String) throws -> FilesystemSpace) {
        self.directory = directory
        self.runner = runner
        filesystem = VolumeFilesystem(runner: runner)
        store = LoopfileStore(directory: directory, space: space)
        lock = VolumeStoreLock(directory: directory)
    }

    /// Admits `bytes` more into the store and runs `claim`, under the store's lock. What a
    /// dead maker left half-made is swept first, so it promises nothing.
    private func admitting<Value: Sendable>(
        _ bytes: UInt64, for purpose: String, _ claim: () async throws -> Value
    ) async throws -> Value {
        try await lock.admitting(
            bytes, into: "the volume store \(directory)", for: purpose,
            commitment: {
                await sweepAbandonedPartials()
                return try store.commitment()
            }, claim: claim)
    }

    /// Removes the partial clones and templates no maker holds (`PartialFile`): a `kennel`
    /// killed mid-clone or mid-fill left them. A template killed mid-fill is still mounted
    /// on its scratch folder through a loop device: both go first. Best effort; called
    /// under the store's lock, so no maker starts a partial file meanwhile.
    func sweepAbandonedPartials() async {
        let manager = FileManager.default
        let folders = [directory, "\(directory)/images"]
        let partials = folders.flatMap { folder in
            ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).map { "\(folder)/\($0)" }
        }.filter(PartialFile.isAbandoned)
        for partial in partials {
            let scratch = "\(partial).mnt"
            if manager.fileExists(atPath: scratch) {
                try? await filesystem.unmount(scratch)
                try? manager.removeItem(atPath: scratch)
            }
            for device in (try? await devices(of: partial)) ?? [] {
                _ = try? await runner.run("losetup", ["--detach", device])
            }
            try? manager.removeItem(atPath: partial)
        }
    }

    func file(of machine: Hostname, _ kind: FilesystemKind) -> String { "\(directory)/\(machine).\(kind)" }
    func template(of sha256: String, _ kind: FilesystemKind) -> String { "\(directory)/images/\(sha256)\(Self.fourKiBMark).\(kind)" }

    /// Marks templates made with 4 KiB units (`images/SHA256.4k.xfs`); templates without it
    /// were made before volumes were attached with direct I/O and are never cloned again.
    static let fourKiBMark = ".4k"

    /// The machine's volume file and its filesystem, nil when it has none.
    private func existing(_ machine: Hostname) -> (file: String, kind: FilesystemKind)? {
        FilesystemKind.allCases.lazy.map { (self.file(of: machine, $0), $0) }.first { FileManager.default.fileExists(atPath: $0.0) }
    }

    public func provision(
        _ machine: Hostname, from image: VolumeImage, size: ByteSize, filesystem kind: FilesystemKind, mountedAt mountPoint: String
    ) async throws -> VolumeStatus {
        var clone: VolumeClone?
        let (file, kind) = existing(machine) ?? (file(of: machine, kind), kind)
        if !FileManager.default.fileExists(atPath: file) {
            clone = try await create(file, from: image, kind, size: size)
        }
        do {
            let device = try await attach(file, fresh: clone != nil)
            if clone != nil { try await filesystem.growUnmounted(device, kind, freshClone: true) }
            try await filesystem.mount(device, kind, at: mountPoint)
            if kind == .xfs { try await filesystem.grow(device, kind, mountedAt: mountPoint) }
            return VolumeStatus(
                sizeBytes: try fileSize(file), device: device, filesystem: kind.rawValue, clone: clone)
        } catch {
            // A volume made by this call goes again; an existing one keeps its data.
            if clone != nil { try? await remove(machine, mountedAt: mountPoint) }
            throw error
        }
    }

    /// Clones the template under a private name, sizes it, and renames it into place: a
    /// volume file under its own name is always whole.
    private func create(_ file: String, from image: VolumeImage, _ kind: FilesystemKind, size: ByteSize) async throws -> VolumeClone {
        let template = try await ensureTemplate(image, kind)
        let templateBytes = try fileSize(template)
        guard size.bytes >= templateBytes else {
            throw KennelError(
                .invalidField, "disk \(size) is smaller than the image's filesystem (\(ByteSize(bytes: templateBytes)))", field: "disk")
        }
        return try await admitting(size.bytes, for: "a \(size) volume") { try await clone(template, as: file, size: size) }
    }

    /// Clones `template` to a partial file it holds, sizes it and renames it to `file`.
    private func clone(_ template: String, as file: String, size: ByteSize) async throws -> VolumeClone {
        let partial = try PartialFile.make(PartialFile.name(for: file))
        defer { partial.release() }
        do {
            return try await clone(template, to: partial.path, as: file, size: size)
        } catch {
            try? FileManager.default.removeItem(atPath: partial.path)
            throw error
        }
    }

    private func clone(_ template: String, to partial: String, as file: String, size: ByteSize) async throws -> VolumeClone {
        let clock = ContinuousClock()
        let started = clock.now
        let method: CloneMethod
        // cp writes into the held partial file (it exists, so cp neither makes nor removes it).
        if try await runner.execute("cp", ["--reflink=always", "--", template, partial], input: nil).succeeded {
            method = .reflink
        } else {
            _ = try await runner.run("cp", ["--sparse=always", "--", template, partial])
            method = .copy
        }
        let elapsed = clock.now - started
        // Sized here rather than by `truncate`: a create waits for every process it starts.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        defer { try? handle.close() }
        try handle.truncate(atOffset: size.bytes)
        try FileManager.default.moveItem(atPath: partial, toPath: file)
        return VolumeClone(method: method, milliseconds: elapsed.wholeMilliseconds)
    }

    /// The image's template, made once: formatted, filled and renamed into place, so a
    /// concurrent provision never clones half a template.
    private func ensureTemplate(_ image: VolumeImage, _ kind: FilesystemKind) async throws -> String {
        let template = template(of: image.sha256, kind)
        if FileManager.default.fileExists(atPath: template) { return template }
        try FileManager.default.createDirectory(atPath: "\(directory)/images", withIntermediateDirectories: true)
        let size = try await filesystem.templateSize(of: image)
        let partial = try await admitting(size.bytes, for: "the image's \(size) template") {
            let partial = try PartialFile.make(PartialFile.name(for: template))
            do {
                _ = try await runner.run("truncate", ["--size", String(size.bytes), "--", partial.path])
                return partial
            } catch {
                try? FileManager.default.removeItem(atPath: partial.path)
                partial.release()
                throw error
            }
        }
        defer { partial.release() }
        do {
            try await filesystem.format(partial.path, kind, fourKiBUnits: true)
            try await filesystem.fill(partial.path, kind, from: image, scratch: partial.path)
            try FileManager.default.moveItem(atPath: partial.path, toPath: template)
        } catch {
            try? FileManager.default.removeItem(atPath: partial.path)
            // Another provision finished the same template first: use it.
            if FileManager.default.fileExists(atPath: template) { return template }
            throw error
        }
        return template
    }

    /// The loop device of `file`, attached when it has none (a `fresh` clone, made under a
    /// private name and just renamed into place, has none to look for).
    private func attach(_ file: String, fresh: Bool = false) async throws -> String {
        if !fresh, let device = try await devices(of: file).first { return device }
        let arguments = FilesystemUnit.attachArguments(for: file, unit: FilesystemUnit.bytes(of: file))
        let device = try await runner.run("losetup", arguments).trimmingCharacters(in: .whitespacesAndNewlines)
        guard device.hasPrefix("/dev/") else { throw KennelError(.hostFailure, "losetup attached \(file) but named no device") }
        do {
            _ = try await runner.run("blockdev", FilesystemUnit.readAheadArguments(for: device))
        } catch {
            _ = try? await runner.run("losetup", ["--detach", device])
            throw error
        }
        return device
    }

    /// The loop devices backed by `file`.
    func devices(of file: String) async throws -> [String] {
        let listing = try await runner.run("losetup", ["--noheadings", "--output", "NAME", "--associated", file])
        return listing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("/dev/") }
    }

    public func grow(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        guard let (file, kind) = existing(machine) else {
            throw KennelError(.hostFailure, "machine \(machine) has no volume on this host")
        }
        let current = try fileSize(file)
        guard size.bytes >= current else {
            throw KennelError(.conflict, "the volume is \(ByteSize(bytes: current)); a grow cannot make it \(size)", field: "disk")
        }
        if size.bytes > current {
            try await admitting(size.bytes - current, for: "growing by \(ByteSize(bytes: size.bytes - current))") {
                _ = try await runner.run("truncate", ["--size", String(size.bytes), "--", file])
            }
        }
        let device = try await attach(file)
        _ = try await runner.run("losetup", ["--set-capacity", device])
        if try await filesystem.isMounted(mountPoint) {
            try await filesystem.grow(device, kind, mountedAt: mountPoint)
        } else {
            try await filesystem.growUnmounted(device, kind, freshClone: false)
        }
        return VolumeStatus(sizeBytes: try fileSize(file), device: device, filesystem: kind.rawValue)
    }

    public func shrink(_ machine: Hostname, to size: ByteSize, mountedAt mountPoint: String) async throws -> VolumeStatus {
        guard let (file, kind) = existing(machine) else {
            throw KennelError(.hostFailure, "machine \(machine) has no volume on this host")
        }
        guard kind.canShrink else { throw KennelError(.conflict, "the volume of \(machine) is \(kind), which cannot shrink", field: "disk") }
        let current = try fileSize(file)
        guard size.bytes < current else { return try await grow(machine, to: size, mountedAt: mountPoint) }
        let device = try await attach(file)
        try await filesystem.shrinkOffline(device, kind, to: size, machine: machine, mountedAt: mountPoint) {
            _ = try await runner.run("truncate", ["--size", String(size.bytes), "--", file])
            _ = try await runner.run("losetup", ["--set-capacity", device])
        }
        return VolumeStatus(sizeBytes: try fileSize(file), device: device, filesystem: kind.rawValue)
    }

    public func status(of machine: Hostname) async throws -> VolumeStatus? {
        guard let (file, kind) = existing(machine) else { return nil }
        return VolumeStatus(sizeBytes: try fileSize(file), device: try await devices(of: file).first ?? "", filesystem: kind.rawValue)
    }

    public func remove(_ machine: Hostname, mountedAt mountPoint: String) async throws {
        try await filesystem.unmount(mountPoint)
        guard let (file, _) = existing(machine) else { return }
        for device in try await devices(of: file) {
            _ = try await runner.run("losetup", ["--detach", device])
        }
        try FileManager.default.removeItem(atPath: file)
        await trimLoopPool()
    }

    /// Gives what removed files held back to the host's disk when the volume directory is a
    /// loop-backed pool (`kennel host prepare --volumes loop-pool:SIZE`): XFS on a loop
    /// device frees blocks in its own map, but the pool file keeps them allocated on the disk
    /// below until they are discarded. `fstrim` discards the pool's free space, which the
    /// loop device turns into holes in the pool file. XFS skips extents freed by a
    /// transaction its log has not yet committed ("busy"), and those are exactly the
    /// removed file's: the log is forced first (`sync --file-system`), and the trim waits a
    /// moment for the commit to let them go (measured here: none trimmed at once, all
    /// after 20 ms; without it the space came back only with XFS's own log push, ~20 s
    /// later). Best effort: a pool that cannot discard keeps the space, and the removal
    /// has still happened. A directory on a disk is left to the host's own trim schedule.
    private func trimLoopPool() async {
        guard let source = try? await runner.run("findmnt", ["--noheadings", "--output", "SOURCE", "--target", directory]),
            source.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("/dev/loop")
        else { return }
        _ = try? await runner.execute("sync", ["--file-system", "--", directory], input: nil)
        try? await Task.sleep(for: Self.logCommitGrace)
        _ = try? await runner.execute("fstrim", ["--", directory], input: nil)
    }

    /// How long a trim waits after forcing the pool's log, for its commit to free the
    /// removed file's extents (20 ms was enough on the test host; five times that here).
    static let logCommitGrace = Duration.milliseconds(100)

    public func pruneImages(keeping: Set<String>) async throws -> [String] {
        let folder = "\(directory)/images"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        var removedFiles = 0
        for name in names.sorted() {
            guard let kind = FilesystemKind.allCases.first(where: { name.hasSuffix(".\($0)") }) else { continue }
            let stem = name.dropLast(kind.rawValue.count + 1)
            let current = stem.hasSuffix(Self.fourKiBMark)
            let version = String(current ? stem.dropLast(Self.fourKiBMark.count) : stem)
            let kept = keeping.contains(version)
            guard !(current && kept) else { continue }
            // Clones share blocks with the template by reflink, not by reference: removing
            // it frees only what no clone shares. An older template of a kept version goes
            // too (no clone is made from it again), but the version is not reported removed.
            try FileManager.default.removeItem(atPath: "\(folder)/\(name)")
            removedFiles += 1
            if !kept && removed.last != version { removed.append(version) }
        }
        if removedFiles > 0 { await trimLoopPool() }
        return removed
    }

    private func fileSize(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
