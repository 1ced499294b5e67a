import Foundation
import KennelModel
import Testing

@Suite("Volume settings, disk sizes and IO limits")
struct VolumeValueTests {
    @Test(
        "volume drivers parse from their text form",
        arguments: [
            ("loopfile", VolumeConfig.loopfile(directory: "/var/lib/kennel/volumes")),
            ("loopfile:/srv/vols/", .loopfile(directory: "/srv/vols")),
            ("lvm:kennel", .lvm(volumeGroup: "kennel", thinPool: nil)),
            ("lvm:kennel/pool", .lvm(volumeGroup: "kennel", thinPool: "pool")),
        ])
    func volumeText(text: String, expected: VolumeConfig) throws {
        #expect(try VolumeConfig(parsing: text) == expected)
        #expect(try VolumeConfig(parsing: expected.description) == expected)
    }

    @Test(
        "bad volume settings are refused",
        arguments: ["", "zfs:tank", "loopfile:relative", "loopfile:/a/../b", "lvm:", "lvm:-x", "lvm:a/b/c", "loopfile:/a b"])
    func badVolumeText(text: String) {
        #expect(throws: InvalidValue.self) { try VolumeConfig(parsing: text) }
    }

    @Test("site files may write volumes as an object")
    func volumeObject() throws {
        let decoder = JSONDecoder()
        #expect(
            try decoder.decode(VolumeConfig.self, from: Data(#"{"driver":"lvm","vg":"kennel","thin_pool":"pool"}"#.utf8))
                == .lvm(volumeGroup: "kennel", thinPool: "pool"))
        #expect(try decoder.decode(VolumeConfig.self, from: Data(#"{"driver":"loopfile","dir":"/srv/v"}"#.utf8)) == .loopfile(directory: "/srv/v"))
        #expect(try decoder.decode(VolumeConfig.self, from: Data(#""lvm:vg0""#.utf8)) == .lvm(volumeGroup: "vg0", thinPool: nil))
        #expect(throws: DecodingError.self) { try decoder.decode(VolumeConfig.self, from: Data(#"{"driver":"zfs"}"#.utf8)) }
    }

    @Test(
        "disk changes: new sizes and growths, rounded up to whole extents",
        arguments: [
            ("40G", ByteSize.gibibytes(10), ByteSize.gibibytes(40)),
            ("+10G", .gibibytes(10), .gibibytes(20)),
            ("1025M", .gibibytes(1), .mebibytes(1028)),
            ("+1M", .gibibytes(1), .mebibytes(1028)),
        ])
    func diskChange(text: String, current: ByteSize, expected: ByteSize) throws {
        #expect(try DiskSizeChange(parsing: text).size(from: current) == expected)
    }

    @Test("bad disk changes are refused", arguments: ["0", "0G", "+0", "+0G", "-1G", "1Q", "1.5G", "", "+", "++1G"])
    func badDiskChange(text: String) {
        #expect(throws: InvalidValue.self) { try DiskSizeChange(parsing: text) }
    }

    @Test("a growth that overflows has no size")
    func overflow() throws {
        #expect(try DiskSizeChange(parsing: "+1T").size(from: .init(bytes: UInt64.max - 10)) == nil)
    }

    private func fields(_ pairs: [(String, String)]) throws -> RequestFields {
        try RequestFields(pairs.map { (name: $0.0, value: $0.1) }, allowed: Set(DiskIOLimits.fieldNames))
    }

    @Test("IO limits are set, kept and lifted field by field")
    func ioLimits() throws {
        let set = try DiskIOLimits().applying(fields([("disk_write_bps", "20M"), ("disk_read_iops", "500")]))
        #expect(set == DiskIOLimits(writeBytesPerSecond: 20 * 1024 * 1024, readIOPS: 500))
        let changed = try set.applying(fields([("disk_write_bps", "0"), ("disk_read_bps", "1G")]))
        #expect(changed == DiskIOLimits(readBytesPerSecond: 1 << 30, readIOPS: 500))
        #expect(try changed.applying(fields([])) == changed)
    }

    @Test(
        "bad IO limits name their field",
        arguments: [("disk_read_iops", "1.5"), ("disk_write_iops", "2000000"), ("disk_read_bps", "-1M"), ("disk_write_bps", "fast")])
    func badIOLimits(field: String, value: String) {
        #expect {
            try DiskIOLimits().applying(fields([(field, value)]))
        } throws: { error in
            (error as? KennelError)?.field == field
        }
    }
}
