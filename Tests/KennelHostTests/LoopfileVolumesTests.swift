import Foundation
import KennelControl
@testable import KennelHost
import KennelModel
import KennelTesting
import Testing

@Suite("Loop-file volumes: argv, clean failure, restart")
struct LoopfileVolumesTests {
    private let machine: Hostname = TestSite.value("web-01")
    private let image = VolumeImage(tarball: "/var/lib/kennel/images/debian-12.tar.gz", sha256: "abc123")

    private struct Bench {
        let directory: String
        let system = FakeVolumeSystem()
        /// The filesystem under the volume directory: 1 TiB, all free, unless set.
        var space = FilesystemSpace(totalBytes: 1 << 40, availableBytes: 1 << 40)
        var volumes: LoopfileVolumes {
            let space = space
            return LoopfileVolumes(directory: directory + "/volumes", runner: system) { _ in space }
        }
        var mountPoint: String { directory + "/machines/web-01/rootfs" }
        func leftovers() throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: directory + "/volumes").filter { !$0.hasPrefix("images") && $0 != ".kennel-lock" }
                .sorted()
        }
    }

    private func bench() throws -> Bench {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-vol-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory + "/volumes", withIntermediateDirectories: true)
        return Bench(directory: directory)
    }

    @Test("a first provision makes the template once, clones it by reflink, sizes, attaches, mounts and grows it")
    func firstProvision() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        let status = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(status.clone?.method == .reflink && status.device == "/dev/loop0" && status.sizeBytes == 1 << 30 && status.filesystem == "xfs")
        let commands = await bench.system.commands
        let volumes = bench.directory + "/volumes"
        let template = volumes + "/images/abc123.4k.xfs"
        // The template: 300 MB unpacked → 450 MB → the 512 MiB floor.
        #expect(commands[0] == ["gzip", "--list", "--quiet", "--", image.tarball])
        #expect(commands[1].prefix(3) == ["truncate", "--size", "536870912"])
        #expect(commands[2].prefix(7) == ["mkfs.xfs", "-q", "-f", "-m", "reflink=1", "-s", "size=4096"], "4 KiB sectors, for direct I/O")
        #expect(commands[4].prefix(4) == ["tar", "--extract", "--gzip", "--numeric-owner"])
        let clone = try #require(commands.first { $0[0] == "cp" })
        #expect(clone.prefix(3) == ["cp", "--reflink=always", "--"] && clone[3] == template && clone[4].hasPrefix(volumes + "/web-01.xfs.partial-"))
        let attach = try #require(
            commands.firstIndex(of: ["losetup", "--find", "--show", "--direct-io=on", "--sector-size", "4096", "--", volumes + "/web-01.xfs"]))
        #expect(commands[attach + 1] == ["blockdev", "--setra", "256", "/dev/loop0"], "128 KiB read-ahead, set before the mount")
        #expect(commands.contains(["mount", "-t", "xfs", "-o", "nouuid,discard", "--", "/dev/loop0", bench.mountPoint]))
        #expect(commands.last == ["xfs_growfs", "-d", "--", bench.mountPoint])
        // The clone is sized in-process and, new, has no loop device to look for.
        #expect(commands.filter { $0[0] == "truncate" }.allSatisfy { $0.last!.hasPrefix(template) }, "only the template's")
        #expect(!commands.contains { $0.contains("--associated") })
        #expect(try FileManager.default.attributesOfItem(atPath: volumes + "/web-01.xfs")[.size] as? NSNumber == NSNumber(value: 1 << 30))
        #expect(try bench.leftovers() == ["web-01.xfs"], "no partial file is left")
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("provisioning again (kennel restarted) clones nothing and mounts nothing twice; after a reboot it re-attaches and remounts")
    func restartAndReboot() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        let before = await bench.system.commands.count
        let again = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        let programs = await bench.system.programs.dropFirst(before)
        #expect(again.clone == nil && again.device == "/dev/loop0")
        #expect(!programs.contains("cp") && !programs.contains("mount") && !programs.contains("truncate"))

        await bench.system.reboot()
        let rebooted = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(rebooted.clone == nil && rebooted.device == "/dev/loop1")
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop1")
        #expect(await bench.system.loops.count == 1)
    }

    @Test("the store never promises more than it holds: a clone or a grow past it is no_capacity naming disk and the space left")
    func neverOvercommits() async throws {
        var bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        // 3 GiB, of which 2 % (61.44 MiB → the 64 MiB floor) is kept back: 2.9375 GiB to promise.
        bench.space = FilesystemSpace(totalBytes: 3 << 30, availableBytes: 3 << 30)
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        // Template 512 MiB + 1 GiB promised: 1.4375 GiB left, though the sparse files hold nothing.
        let other = try Hostname(parsing: "web-02")
        await #expect {
            _ = try await bench.volumes.provision(other, from: image, size: .gibibytes(2), mountedAt: bench.directory + "/m2")
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.field == "disk" && error?.message.contains("1.4G is left") == true
        }
        #expect(try bench.leftovers() == ["web-01.xfs"], "no file or partial clone is left")
        #expect(await bench.system.loops.count == 1)
        #expect(await bench.system.mounts[bench.directory + "/m2"] == nil)
        await #expect(throws: KennelError.self) { _ = try await bench.volumes.grow(machine, to: .mebibytes(2560), mountedAt: bench.mountPoint) }
        #expect(try await bench.volumes.status(of: machine)?.sizeBytes == 1 << 30, "a refused grow leaves the volume as it was")
        // Exactly what is left fits.
        _ = try await bench.volumes.grow(machine, to: .mebibytes(2496), mountedAt: bench.mountPoint)
        #expect(try await bench.volumes.status(of: machine)?.sizeBytes == 2496 << 20)
    }

    @Test("two creates at once for the last space: the store's lock lets exactly one have it")
    func concurrentClaims() async throws {
        var bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        bench.space = FilesystemSpace(totalBytes: 2 << 30, availableBytes: 2 << 30)
        _ = try await bench.volumes.provision(machine, from: image, size: .mebibytes(600), mountedAt: bench.mountPoint)
        // 2048 − 64 − 512 − 600 = 872 MiB left: room for one 600 MiB volume, not two.
        await bench.system.set(cloneDelay: .milliseconds(20))
        let volumes = bench.volumes
        let directory = bench.directory
        let names = try (0..<6).map { try Hostname(parsing: "race-\($0)") }
        let created = await withTaskGroup(of: Bool.self) { group in
            for name in names {
                group.addTask {
                    (try? await volumes.provision(name, from: image, size: .mebibytes(600), mountedAt: directory + "/\(name)")) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(created == 1)
        #expect(try bench.leftovers().count == 2)
    }

    @Test("partial files a killed kennel left promise nothing: swept (unmounted, detached, removed) at the next admission; one being made is kept")
    func abandonedPartialsSwept() async throws {
        var bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        bench.space = FilesystemSpace(totalBytes: 3 << 30, availableBytes: 3 << 30)
        let volumes = bench.directory + "/volumes"
        try FileManager.default.createDirectory(atPath: volumes + "/images", withIntermediateDirectories: true)
        func sparse(_ path: String, _ bytes: UInt64) throws {
            // (Foundation's createFile replaces a file: only for one that does not exist.)
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: bytes)
            try handle.close()
        }
        // Left by a kennel killed mid-clone, and mid-fill (still mounted through a loop device).
        let deadClone = PartialFile.name(for: volumes + "/web-09.xfs")
        try sparse(deadClone, 2 << 30)
        let deadTemplate = PartialFile.name(for: volumes + "/images/abc123.4k.xfs")
        try sparse(deadTemplate, 512 << 20)
        try FileManager.default.createDirectory(atPath: deadTemplate + ".mnt", withIntermediateDirectories: true)
        _ = try await bench.system.execute("losetup", ["--find", "--show", "--", deadTemplate], input: nil)
        _ = try await bench.system.execute("mount", ["-t", "xfs", "--", deadTemplate, deadTemplate + ".mnt"], input: nil)
        // Being made by a live maker (this process holds it).
        let live = try PartialFile.make(PartialFile.name(for: volumes + "/web-08.xfs"))
        defer { live.release() }
        let liveName = try #require(live.path.split(separator: "/").last.map(String.init))
        try sparse(live.path, 256 << 20)
        #expect(!PartialFile.isAbandoned(live.path) && PartialFile.isAbandoned(deadClone))

        // 2 GiB + 512 MiB dead + 256 MiB live + a 512 MiB template + 1 GiB would not fit in 2.9375 GiB.
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(try bench.leftovers() == [liveName, "web-01.xfs"].sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: volumes + "/images") == ["abc123.4k.xfs"])
        #expect(await bench.system.mounts[deadTemplate + ".mnt"] == nil)
        #expect(await bench.system.loops.values.filter { $0 == deadTemplate }.isEmpty)
        #expect(PartialFile.isPartial(live.path) && !PartialFile.isPartial(deadTemplate + ".mnt") && !PartialFile.isPartial(volumes + "/web-01.xfs"))
    }

    @Test("the commitment: 2 % of the store (at least 64 MiB) is kept back; what is left is what can be promised")
    func commitmentTable() throws {
        let gib: UInt64 = 1 << 30
        let table: [(store: UInt64, committed: UInt64, uncommitted: UInt64)] = [
            (16 * gib, 0, 16 * gib - 16 * gib / 50),
            (16 * gib, 15 * gib, 16 * gib - 16 * gib / 50 - 15 * gib),
            (1 * gib, 0, gib - (64 << 20)),
            (16 * gib, 16 * gib, 0),
            (32 << 20, 0, 0),
        ]
        for row in table {
            let commitment = VolumeCommitment(storeBytes: row.store, committedBytes: row.committed)
            #expect(commitment.uncommittedBytes == row.uncommitted, "\(row)")
            #expect(throws: Never.self) { try commitment.admit(row.uncommitted, store: "s", purpose: "p") }
            #expect(throws: KennelError.self) { try commitment.admit(row.uncommitted + 1, store: "s", purpose: "p") }
        }
        #expect(VolumeCommitment.size(65472 << 20) == "63.9G" && VolumeCommitment.size(1 << 30) == "1.0G")
        #expect(VolumeCommitment.size(448 << 20) == "448M")
    }

    @Test("where the directory cannot reflink, a plain copy is made and reported as such")
    func plainCopy() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        await bench.system.set(reflinks: false)
        let status = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(status.clone?.method == .copy)
        #expect(await bench.system.commands.contains { $0.prefix(2) == ["cp", "--sparse=always"] })
        #expect(try bench.leftovers() == ["web-01.xfs"])
    }

    @Test(
        "a new volume whose attach or mount fails is unwound: no file, loop device or mount is left", arguments: ["blockdev", "mount", "xfs_growfs"])
    func unwind(failing program: String) async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        // The template is made first, so that only the machine's own step fails.
        _ = try await bench.volumes.provision(try Hostname(parsing: "web-00"), from: image, size: .gibibytes(1), mountedAt: bench.directory + "/m0")
        await bench.system.fail(program)
        await #expect(throws: KennelError.self) {
            _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        }
        #expect(try bench.leftovers() == ["web-00.xfs"])
        #expect(await bench.system.loops.values.filter { $0.hasSuffix("web-01.xfs") }.isEmpty)
        #expect(await bench.system.mounts[bench.mountPoint] == nil)
    }

    @Test("an existing volume whose mount fails keeps its data")
    func existingKept() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        await bench.system.reboot()
        await bench.system.fail("mount")
        await #expect(throws: KennelError.self) {
            _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        }
        #expect(try bench.leftovers() == ["web-01.xfs"])
    }

    @Test("a disk smaller than the image's filesystem is refused naming disk, leaving nothing")
    func tooSmall() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        await #expect {
            _ = try await bench.volumes.provision(machine, from: image, size: .mebibytes(256), mountedAt: bench.mountPoint)
        } throws: { error in
            (error as? KennelError)?.field == "disk"
        }
        #expect(try bench.leftovers().isEmpty)
    }

    @Test("grow extends the file, refreshes the loop device and grows XFS online; a smaller size is refused, and XFS never shrinks")
    func grow() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        let before = await bench.system.commands.count
        let grown = try await bench.volumes.grow(machine, to: .gibibytes(2), mountedAt: bench.mountPoint)
        #expect(grown.sizeBytes == 2 << 30)
        let commands = Array(await bench.system.commands.dropFirst(before))
        let volumeFile = bench.directory + "/volumes/web-01.xfs"
        #expect(commands.contains(["truncate", "--size", String(2 << 30), "--", volumeFile]))
        #expect(commands.contains(["losetup", "--set-capacity", "/dev/loop0"]))
        #expect(commands.last == ["xfs_growfs", "-d", "--", bench.mountPoint])
        await #expect {
            _ = try await bench.volumes.grow(machine, to: .gibibytes(1), mountedAt: bench.mountPoint)
        } throws: { error in
            (error as? KennelError)?.code == .conflict && (error as? KennelError)?.message.contains("a grow cannot") == true
        }
        await #expect {
            _ = try await bench.volumes.shrink(machine, to: .gibibytes(1), mountedAt: bench.mountPoint)
        } throws: { error in
            (error as? KennelError)?.field == "disk" && (error as? KennelError)?.message.contains("xfs, which cannot shrink") == true
        }
        #expect(try await bench.volumes.status(of: machine)?.sizeBytes == 2 << 30)
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("an ext4 volume: its own template (checked after filling), grown with resize2fs before its first mount, mounted as ext4")
    func ext4Provision() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        let status = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), filesystem: .ext4, mountedAt: bench.mountPoint)
        #expect(status.filesystem == "ext4" && status.sizeBytes == 1 << 30)
        let commands = await bench.system.commands
        let volumes = bench.directory + "/volumes"
        let template = volumes + "/images/abc123.4k.ext4"
        #expect(commands.contains { $0.prefix(5) == ["mkfs.ext4", "-q", "-F", "-b", "4096"] && $0.last?.hasPrefix(template + ".partial-") == true })
        let fillMount = try #require(commands.firstIndex { $0.prefix(3) == ["mount", "-t", "ext4"] })
        #expect(commands[(fillMount + 1)...].contains { $0.prefix(3) == ["e2fsck", "-f", "-y"] }, "the template is checked after it is filled")
        let growth = try #require(commands.firstIndex(of: ["resize2fs", "--", "/dev/loop0"]))
        let mount = try #require(commands.firstIndex(of: ["mount", "-t", "ext4", "-o", "discard", "--", "/dev/loop0", bench.mountPoint]))
        #expect(growth < mount, "a fresh clone grows before its first mount")
        #expect(!commands.contains { $0[0] == "xfs_growfs" || $0.contains { $0.contains("nouuid") } })
        #expect(try bench.leftovers() == ["web-01.ext4"])
        #expect(try await bench.volumes.status(of: machine)?.filesystem == "ext4")
        // Asked again with the other filesystem (a restart), the volume keeps its own.
        let again = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), filesystem: .xfs, mountedAt: bench.mountPoint)
        #expect(again.filesystem == "ext4" && again.clone == nil)
    }

    @Test("an ext4 shrink runs offline: unmount, e2fsck, resize2fs to the size, cut the file, refresh the loop, e2fsck -n, mount back")
    func ext4Shrink() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(2), filesystem: .ext4, mountedAt: bench.mountPoint)
        let before = await bench.system.commands.count
        let shrunk = try await bench.volumes.shrink(machine, to: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(shrunk.sizeBytes == 1 << 30 && shrunk.filesystem == "ext4")
        let commands = Array(await bench.system.commands.dropFirst(before))
        let file = bench.directory + "/volumes/web-01.ext4"
        let order = [
            ["umount", "--", bench.mountPoint], ["e2fsck", "-f", "-y", "--", "/dev/loop0"], ["resize2fs", "-P", "--", "/dev/loop0"],
            ["resize2fs", "--", "/dev/loop0", "1048576K"], ["truncate", "--size", String(1 << 30), "--", file],
            ["losetup", "--set-capacity", "/dev/loop0"], ["e2fsck", "-f", "-n", "--", "/dev/loop0"],
            ["mount", "-t", "ext4", "-o", "discard", "--", "/dev/loop0", bench.mountPoint],
        ]
        let positions = order.map { commands.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil }, "\(commands)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("an ext4 shrink below what its files need is refused naming disk; the volume keeps its size and is mounted back")
    func ext4ShrinkTooSmall() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(2), filesystem: .ext4, mountedAt: bench.mountPoint)
        await bench.system.set(smallestBlocks: 300_000)  // ≈ 1.14 GiB
        await #expect {
            _ = try await bench.volumes.shrink(machine, to: .gibibytes(1), mountedAt: bench.mountPoint)
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .conflict && error?.field == "disk" && error?.message.contains("need at least 1172M") == true
        }
        let commands = await bench.system.commands
        #expect(!commands.contains { $0.first == "resize2fs" && $0.last == "1048576K" })
        #expect(try await bench.volumes.status(of: machine)?.sizeBytes == 2 << 30)
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("a failed e2fsck stops a shrink before anything is cut")
    func ext4CheckFails() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(2), filesystem: .ext4, mountedAt: bench.mountPoint)
        await bench.system.fail("e2fsck")
        let before = await bench.system.commands.count
        await #expect(throws: KennelError.self) {
            _ = try await bench.volumes.shrink(machine, to: .gibibytes(1), mountedAt: bench.mountPoint)
        }
        #expect(try await bench.volumes.status(of: machine)?.sizeBytes == 2 << 30)
        let programs = await bench.system.programs.dropFirst(before)
        #expect(!programs.contains("resize2fs") && !programs.contains("truncate"))
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("remove unmounts, detaches and deletes; a second remove does nothing")
    func remove() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        try await bench.volumes.remove(machine, mountedAt: bench.mountPoint)
        #expect(await bench.system.loops.isEmpty)
        #expect(await bench.system.mounts.isEmpty)
        #expect(try bench.leftovers().isEmpty)
        try await bench.volumes.remove(machine, mountedAt: bench.mountPoint)
        #expect(try await bench.volumes.status(of: machine) == nil)
    }

    @Test("on a loop-backed pool, removing a volume or a template trims the pool so the pool file gives the space back")
    func trimsLoopPool() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        await bench.system.set(volumeDirectorySource: "/dev/loop0")
        let volumes = bench.directory + "/volumes"
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        let created = await bench.system.programs
        #expect(!created.contains("fstrim"), "a create trims nothing")
        try await bench.volumes.remove(machine, mountedAt: bench.mountPoint)
        let commands = await bench.system.commands
        #expect(
            commands.suffix(3) == [
                ["findmnt", "--noheadings", "--output", "SOURCE", "--target", volumes], ["sync", "--file-system", "--", volumes],
                ["fstrim", "--", volumes],
            ], "the log forced first, so the removed file's extents are no longer busy")
        #expect(try await bench.volumes.pruneImages(keeping: []) == ["abc123"])
        #expect(await bench.system.commands.last == ["fstrim", "--", volumes])
        let before = await bench.system.commands.count
        #expect(try await bench.volumes.pruneImages(keeping: []).isEmpty)
        #expect(await bench.system.commands.count == before, "nothing removed, nothing trimmed")
    }

    @Test("a volume directory on a disk is not trimmed; a pool that cannot discard still removes the volume")
    func trimOnlyLoopPools() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        try await bench.volumes.remove(machine, mountedAt: bench.mountPoint)
        let onDisk = await bench.system.programs
        #expect(!onDisk.contains("fstrim"))

        await bench.system.set(volumeDirectorySource: "/dev/loop3")
        await bench.system.fail("fstrim")
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        try await bench.volumes.remove(machine, mountedAt: bench.mountPoint)
        #expect(await bench.system.programs.last == "fstrim")
        #expect(try bench.leftovers().isEmpty)
        #expect(await bench.system.loops.isEmpty)
    }

    @Test("concurrent first provisions build one template and leave no partial file")
    func concurrentTemplates() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        let names = try (1...6).map { try Hostname(parsing: "web-\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    _ = try await bench.volumes.provision(name, from: image, size: .gibibytes(1), mountedAt: bench.directory + "/m/\(name)")
                }
            }
            try await group.waitForAll()
        }
        let images = try FileManager.default.contentsOfDirectory(atPath: bench.directory + "/volumes/images")
        #expect(images == ["abc123.4k.xfs"])
        #expect(try bench.leftovers() == names.map { "\($0).xfs" }.sorted())
        #expect(await Set(bench.system.loops.keys).count == 6)
    }

    @Test("a volume made before 4 KiB units (512-byte XFS sectors) is attached as it was, without direct I/O")
    func olderVolumeAttachesCached() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        let file = bench.directory + "/volumes/web-01.xfs"
        _ = FileManager.default.createFile(atPath: file, contents: FakeVolumeSystem.xfsHeader(sectorSize: 512))
        let status = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        #expect(status.clone == nil && status.device == "/dev/loop0")
        #expect(await bench.system.commands.contains(["losetup", "--find", "--show", "--", file]))
        #expect(await bench.system.mounts[bench.mountPoint] == "/dev/loop0")
    }

    @Test("prune removes templates of versions no one keeps")
    func prune() async throws {
        let bench = try bench()
        defer { try? FileManager.default.removeItem(atPath: bench.directory) }
        _ = try await bench.volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: bench.mountPoint)
        _ = try await bench.volumes.provision(
            try Hostname(parsing: "web-02"), from: VolumeImage(tarball: image.tarball, sha256: "def456"), size: .gibibytes(1),
            mountedAt: bench.directory + "/m2")
        _ = try await bench.volumes.provision(
            try Hostname(parsing: "web-03"), from: image, size: .gibibytes(1), filesystem: .ext4, mountedAt: bench.directory + "/m3")
        // A template made before volumes had 4 KiB units: never cloned again, so it goes even
        // though its version is kept, and that version is not reported removed.
        let images = bench.directory + "/volumes/images"
        _ = FileManager.default.createFile(atPath: images + "/def456.xfs", contents: FakeVolumeSystem.xfsHeader(sectorSize: 512))
        #expect(try await bench.volumes.pruneImages(keeping: ["def456"]) == ["abc123"], "one version, both of its templates")
        #expect(try FileManager.default.contentsOfDirectory(atPath: images) == ["def456.4k.xfs"])
    }

    @Test(
        "template sizes: one and a half times the tree, at least 512 MiB, whole extents",
        arguments: [
            (UInt64(100 << 20), UInt64(512 << 20)), (UInt64(400 << 20), UInt64(600 << 20)), (UInt64(1_000_000_001), UInt64(1_501_560_832)),
        ])
    func templateSizes(unpacked: UInt64, expected: UInt64) {
        #expect(VolumeFilesystem.templateSize(forUnpackedBytes: unpacked).bytes == expected)
    }

    @Test("gzip --list lines give the unpacked size")
    func gzipListing() {
        #expect(VolumeFilesystem.uncompressedSize(inGzipListing: "  98413  307200000  68.0% /x/debian-12.tar\n") == 307_200_000)
        #expect(VolumeFilesystem.uncompressedSize(inGzipListing: "gzip: not in gzip format") == nil)
    }
}
