import Foundation

/// The smallest unit a filesystem image reads and writes (XFS's sector size, ext4's block
/// size), read from its superblock: a loop device can use direct I/O (no second copy of
/// the machine's data in the host's page cache) only with a 4 KiB logical block, and a
/// filesystem mounts only on a device whose blocks are no larger than its own unit.
enum FilesystemUnit {
    /// The unit at or above which a volume is attached with direct I/O.
    static let directIOBytes = 4096
    /// How many bytes of the image's start `bytes(of:)` needs (ext4's superblock is at 1024).
    static let headerBytes = 2048

    /// The unit in bytes, or nil when `header` starts no XFS or ext4 filesystem.
    static func bytes(inHeader header: [UInt8]) -> Int? {
        if header.count >= 104, header[0..<4].elementsEqual("XFSB".utf8) {
            // sb_sectsize: big-endian, 16 bits, at 102.
            let size = Int(header[102]) << 8 | Int(header[103])
            return size >= 512 ? size : nil
        }
        let ext4 = 1024
        if header.count >= ext4 + 58, header[ext4 + 56] == 0x53, header[ext4 + 57] == 0xEF {
            // s_log_block_size: little-endian, 32 bits, at 24: the block is 1024 << it.
            let shift = header[(ext4 + 24)..<(ext4 + 28)].reversed().reduce(0) { $0 << 8 | Int($1) }
            return shift <= 6 ? 1024 << shift : nil
        }
        return nil
    }

    /// The unit of the filesystem image in `file`, nil when it has none that is known.
    static func bytes(of file: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: headerBytes) else { return nil }
        return bytes(inHeader: [UInt8](data))
    }

    /// `losetup` arguments that attach `file`: direct I/O with 4 KiB blocks when its
    /// filesystem's unit allows (the kernel falls back to cached I/O by itself where the
    /// directory cannot do direct I/O), the default otherwise (volumes made before).
    static func attachArguments(for file: String, unit: Int?) -> [String] {
        guard let unit, unit >= directIOBytes else { return ["--find", "--show", "--", file] }
        return ["--find", "--show", "--direct-io=on", "--sector-size", String(directIOBytes), "--", file]
    }

    /// The read-ahead of a machine's loop device, in 512-byte sectors (128 KiB, the kernel's
    /// default for a disk). A loop device inherits its backing device's (2.5 MiB here, 8 MiB
    /// on a virtio disk), so every program a machine starts was read whole into the host's
    /// page cache, once per machine (each volume is its own filesystem): python3 and
    /// libcrypto alone are ~10 MiB of memory per machine that no one else can share.
    static let readAheadSectors = 256

    /// `blockdev` arguments that set `device`'s read-ahead to `readAheadSectors`.
    static func readAheadArguments(for device: String) -> [String] {
        ["--setra", String(readAheadSectors), device]
    }
}
