import Foundation
import KennelControl
@testable import KennelHost
import KennelModel
import KennelTesting
import Testing

@Suite("LVM volumes: argv and lvs JSON")
struct LVMVolumesTests {
    private let machine: Hostname = TestSite.value("web-01")
    private let image = VolumeImage(tarball: "/var/lib/kennel/images/debian-12.tar.gz", sha256: String(repeating: "ab", count: 32))
    private var imageLV: String { "kennel-image-" + String(repeating: "ab", count: 16) }

    @Test("lvs JSON reports parse into names, sizes and origins")
    func lvsFixture() throws {
        let json = """
            {
                  "report": [
                      {
                          "lv": [
                              {"lv_name":"pool", "lv_size":"107374182400", "origin":""},
                              {"lv_name":"kennel-image-abc", "lv_size":"536870912", "origin":""},
                              {"lv_name":"kennel-web-01", "lv_size":"10737418240", "origin":"kennel-image-abc"}
                          ]
                      }
                  ]
              }
            """
        #expect(
            try LVSReport.volumes(in: json) == [
                .init(name: "pool", sizeBytes: 107_374_182_400, origin: nil),
                .init(name: "kennel-image-abc", sizeBytes: 536_870_912, origin: nil),
                .init(name: "kennel-web-01", sizeBytes: 10_737_418_240, origin: "kennel-image-abc"),
            ])
        #expect(throws: KennelError.self) { try LVSReport.volumes(in: "  No volume groups found") }
    }

    @Test("with a thin pool, a machine's volume is a thin snapshot of the image LV, extended, activated, mounted and grown")
    func thinSnapshot() async throws {
        let system = FakeVolumeSystem()
        await system.addVolume(imageLV, bytes: 512 << 20)
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        let status = try await volumes.provision(machine, from: image, size: .gibibytes(10), mountedAt: "/m/web-01/rootfs")
        #expect(status.clone?.method == .snapshot && status.device == "/dev/kennel/kennel-web-01")
        let commands = await system.commands.filter { $0[0] != "lvs" && $0[0] != "mountpoint" }
        #expect(
            commands == [
                [
                    "lvcreate", "--quiet", "--snapshot", "--setactivationskip", "n", "--addtag", "kennel_fs_xfs", "--name", "kennel-web-01",
                    "kennel/\(imageLV)",
                ],
                ["lvextend", "--quiet", "--size", "10737418240b", "kennel/kennel-web-01"],
                ["lvchange", "--activate", "y", "--ignoreactivationskip", "kennel/kennel-web-01"],
                ["mount", "-t", "xfs", "-o", "nouuid,discard", "--", "/dev/kennel/kennel-web-01", "/m/web-01/rootfs"],
                ["xfs_growfs", "-d", "--", "/m/web-01/rootfs"],
            ])
    }

    @Test("a thin pool is never promised more than it holds: a volume or grow past it is no_capacity naming disk, nothing made")
    func thinPoolCommitment() async throws {
        let system = FakeVolumeSystem()
        await system.addVolume("pool", bytes: 2 << 30)
        await system.addVolume(imageLV, bytes: 512 << 20)
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        _ = try await volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: "/m/web-01/rootfs")
        // 2048 − 64 (reserve) − 512 (image LV) − 1024 = 448 MiB left.
        await #expect {
            _ = try await volumes.provision(TestSite.value("web-02"), from: image, size: .gibibytes(1), mountedAt: "/m/web-02/rootfs")
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.field == "disk" && error?.message.contains("448M is left") == true
        }
        #expect(await system.logicalVolumes["kennel-web-02"] == nil)
        await #expect(throws: KennelError.self) { _ = try await volumes.grow(machine, to: .mebibytes(1536), mountedAt: "/m/web-01/rootfs") }
        #expect(await system.logicalVolumes["kennel-web-01"]?.bytes == 1 << 30)
        _ = try await volumes.grow(machine, to: .mebibytes(1472), mountedAt: "/m/web-01/rootfs")
        #expect(await system.logicalVolumes["kennel-web-01"]?.bytes == 1472 << 20)
    }

    @Test("without a thin pool, a thick LV of the machine's size gets a copy of the image LV")
    func thickCopy() async throws {
        let system = FakeVolumeSystem()
        await system.addVolume(imageLV, bytes: 512 << 20)
        let volumes = LVMVolumes(volumeGroup: "vg0", thinPool: nil, runner: system, lockDirectory: NSTemporaryDirectory())
        let status = try await volumes.provision(machine, from: image, size: .gibibytes(2), mountedAt: "/m/web-01/rootfs")
        #expect(status.clone?.method == .copy)
        let commands = await system.commands
        #expect(
            commands.contains([
                "lvcreate", "--quiet", "--yes", "--size", "2147483648b", "--addtag", "kennel_fs_xfs", "--name", "kennel-web-01", "vg0",
            ]))
        #expect(commands.contains(["dd", "if=/dev/vg0/\(imageLV)", "of=/dev/vg0/kennel-web-01", "bs=4M", "conv=sparse,fsync", "status=none"]))
    }

    @Test("without a thin pool, a volume or grow past the group's free extents is no_capacity naming disk and what is left, nothing made")
    func thickCommitment() async throws {
        let system = FakeVolumeSystem()
        await system.addVolume(imageLV, bytes: 512 << 20)
        // The fake's thin pool (100 GiB) and the image LV take their part of the group: 1.5 GiB is free.
        await system.set(volumeGroupBytes: (100 << 30) + (2 << 30))
        let volumes = LVMVolumes(volumeGroup: "vg0", thinPool: nil, runner: system, lockDirectory: NSTemporaryDirectory())
        _ = try await volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: "/m/web-01/rootfs")
        await #expect {
            _ = try await volumes.provision(TestSite.value("web-02"), from: image, size: .gibibytes(1), mountedAt: "/m/web-02/rootfs")
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .noCapacity && error?.field == "disk" && error?.message.contains("512M is left") == true
        }
        #expect(await system.logicalVolumes["kennel-web-02"] == nil)
        #expect(await !system.commands.contains { $0.first == "lvcreate" && $0.contains("kennel-web-02") }, "no lvcreate tried")
        await #expect(throws: KennelError.self) { _ = try await volumes.grow(machine, to: .gibibytes(2), mountedAt: "/m/web-01/rootfs") }
        #expect(await system.logicalVolumes["kennel-web-01"]?.bytes == 1 << 30)
        _ = try await volumes.grow(machine, to: .mebibytes(1536), mountedAt: "/m/web-01/rootfs")
        #expect(await system.logicalVolumes["kennel-web-01"]?.bytes == 1536 << 20)
    }

    @Test("vgs JSON gives the group's size and free bytes; anything else is a host failure")
    func vgsReport() throws {
        let space = try VGSReport.space(in: #"{"report": [{"vg": [{"vg_size":"107374182400", "vg_free":" 1610612736"}]}]}"#)
        #expect(space.size == 100 << 30 && space.free == 1536 << 20)
        #expect(throws: KennelError.self) { try VGSReport.space(in: #"{"report": [{"vg": []}]}"#) }
        #expect(throws: KennelError.self) { try VGSReport.space(in: "  Volume group \"vg0\" not found") }
    }

    @Test("the image LV is made once under a private name, filled, and renamed into place")
    func imageVolume() async throws {
        let system = FakeVolumeSystem()
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        _ = try await volumes.provision(machine, from: image, size: .gibibytes(10), mountedAt: "/m/web-01/rootfs")
        _ = try await volumes.provision(TestSite.value("web-02"), from: image, size: .gibibytes(10), mountedAt: "/m/web-02/rootfs")
        let commands = await system.commands.filter { $0[0] != "lvs" }
        #expect(commands.filter { $0.contains("--virtualsize") }.count == 1, "one image LV for both machines")
        #expect(await system.logicalVolumes[imageLV]?.bytes == 512 << 20)
        #expect(
            commands[1] == ["lvcreate", "--quiet", "--yes", "--thin", "--virtualsize", "536870912b", "--name", "\(imageLV)-partial", "kennel/pool"])
        #expect(commands[2] == ["mkfs.xfs", "-q", "-f", "-m", "reflink=1", "--", "/dev/kennel/\(imageLV)-partial"])
        #expect(commands.contains(["lvrename", "--quiet", "kennel", "\(imageLV)-partial", imageLV]))
    }

    @Test("an ext4 LV: its own image LV, tagged, grown with resize2fs before its first mount; shrunk offline with resize2fs then lvreduce")
    func ext4() async throws {
        let system = FakeVolumeSystem()
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        let status = try await volumes.provision(machine, from: image, size: .gibibytes(2), filesystem: .ext4, mountedAt: "/m/web-01/rootfs")
        #expect(status.filesystem == "ext4")
        let commands = await system.commands
        let ext4Image = imageLV + "-ext4"
        #expect(commands.contains { $0.first == "mkfs.ext4" && $0.last == "/dev/kennel/\(ext4Image)-partial" })
        #expect(
            commands.contains([
                "lvcreate", "--quiet", "--snapshot", "--setactivationskip", "n", "--addtag", "kennel_fs_ext4", "--name", "kennel-web-01",
                "kennel/\(ext4Image)",
            ]))
        let growth = try #require(commands.firstIndex(of: ["resize2fs", "--", "/dev/kennel/kennel-web-01"]))
        let mount = try #require(
            commands.firstIndex(of: ["mount", "-t", "ext4", "-o", "discard", "--", "/dev/kennel/kennel-web-01", "/m/web-01/rootfs"]))
        #expect(growth < mount)
        #expect(try await volumes.status(of: machine)?.filesystem == "ext4")

        let before = commands.count
        let shrunk = try await volumes.shrink(machine, to: .gibibytes(1), mountedAt: "/m/web-01/rootfs")
        #expect(shrunk.sizeBytes == 1 << 30)
        let shrinking = Array(await system.commands.dropFirst(before))
        let resize = try #require(shrinking.firstIndex(of: ["resize2fs", "--", "/dev/kennel/kennel-web-01", "1048576K"]))
        let reduce = try #require(
            shrinking.firstIndex(of: ["lvreduce", "--quiet", "--yes", "--force", "--size", "1073741824b", "kennel/kennel-web-01"]))
        let verify = try #require(shrinking.firstIndex(of: ["e2fsck", "-f", "-n", "--", "/dev/kennel/kennel-web-01"]))
        #expect(resize < reduce && reduce < verify, "the filesystem shrinks before its volume, and is checked after")
        #expect(try await volumes.pruneImages(keeping: []) == [], "the image LV is the origin of a snapshot")
    }

    @Test("grow runs lvextend and xfs_growfs; shrinking is refused; remove runs lvremove")
    func growAndRemove() async throws {
        let system = FakeVolumeSystem()
        await system.addVolume(imageLV, bytes: 512 << 20)
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        _ = try await volumes.provision(machine, from: image, size: .gibibytes(1), mountedAt: "/m/web-01/rootfs")
        _ = try await volumes.grow(machine, to: .gibibytes(3), mountedAt: "/m/web-01/rootfs")
        #expect(await system.commands.contains(["lvextend", "--quiet", "--size", "3221225472b", "kennel/kennel-web-01"]))
        await #expect {
            _ = try await volumes.grow(machine, to: .mebibytes(512), mountedAt: "/m/web-01/rootfs")
        } throws: { error in
            (error as? KennelError)?.code == .conflict
        }
        try await volumes.remove(machine, mountedAt: "/m/web-01/rootfs")
        #expect(await system.commands.contains(["umount", "--", "/m/web-01/rootfs"]))
        #expect(await system.commands.contains(["lvremove", "--quiet", "--yes", "kennel/kennel-web-01"]))
    }

    @Test("prune keeps image LVs that are kept or still the origin of a machine's snapshot")
    func prune() async throws {
        let system = FakeVolumeSystem()
        for version in ["aaaa", "bbbb", "cccc"] { await system.addVolume("kennel-image-\(version)", bytes: 512 << 20) }
        await system.addVolume("kennel-web-01", bytes: 1 << 30, origin: "kennel-image-bbbb")
        let volumes = LVMVolumes(volumeGroup: "kennel", thinPool: "pool", runner: system, lockDirectory: NSTemporaryDirectory())
        #expect(try await volumes.pruneImages(keeping: ["ccccffff"]) == ["aaaa"])
        #expect(await system.commands.filter { $0[0] == "lvremove" } == [["lvremove", "--quiet", "--yes", "kennel/kennel-image-aaaa"]])
    }
}
