import Foundation
@testable import KennelHost
import Testing

@Suite("Filesystem units: read from the superblock, and the losetup arguments they allow")
struct FilesystemUnitTests {
    private static func bytes(_ data: Data) -> [UInt8] { [UInt8](data) }

    @Test(
        "XFS sector and ext4 block sizes are read; anything else is unknown",
        arguments: [
            (bytes(FakeVolumeSystem.xfsHeader(sectorSize: 512)), 512 as Int?),
            (bytes(FakeVolumeSystem.xfsHeader(sectorSize: 4096)), 4096),
            (bytes(FakeVolumeSystem.ext4Header(blockSize: 1024)), 1024),
            (bytes(FakeVolumeSystem.ext4Header(blockSize: 4096)), 4096),
            ([UInt8](repeating: 0, count: 2048), nil),
            (Array("XFSB".utf8), nil),  // too short to hold the sector size
            (Array(bytes(FakeVolumeSystem.xfsHeader(sectorSize: 0))), nil),
            (Array(bytes(FakeVolumeSystem.ext4Header(blockSize: 4096)).prefix(1070)), nil),
        ])
    func units(header: [UInt8], expected: Int?) {
        #expect(FilesystemUnit.bytes(inHeader: header) == expected)
    }

    @Test("an ext4 block-size exponent beyond 64 KiB is not believed")
    func absurdExt4Block() {
        var header = Self.bytes(FakeVolumeSystem.ext4Header(blockSize: 4096))
        header[1024 + 24] = 40
        #expect(FilesystemUnit.bytes(inHeader: header) == nil)
    }

    @Test(
        "direct I/O with 4 KiB blocks only when the filesystem's unit is at least 4 KiB",
        arguments: [
            (4096 as Int?, ["--find", "--show", "--direct-io=on", "--sector-size", "4096", "--", "/v/a.xfs"]),
            (65536, ["--find", "--show", "--direct-io=on", "--sector-size", "4096", "--", "/v/a.xfs"]),
            (512, ["--find", "--show", "--", "/v/a.xfs"]),
            (1024, ["--find", "--show", "--", "/v/a.xfs"]),
            (nil, ["--find", "--show", "--", "/v/a.xfs"]),
        ])
    func attachArguments(unit: Int?, expected: [String]) {
        #expect(FilesystemUnit.attachArguments(for: "/v/a.xfs", unit: unit) == expected)
    }

    @Test("the unit is read from a file's first bytes; a missing file has none")
    func fromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-unit-\(UUID()).xfs").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: FakeVolumeSystem.xfsHeader(sectorSize: 4096))
        #expect(FilesystemUnit.bytes(of: path) == 4096)
        #expect(FilesystemUnit.bytes(of: path + ".missing") == nil)
    }
}
