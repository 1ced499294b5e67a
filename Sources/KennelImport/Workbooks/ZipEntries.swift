import Foundation
import ZIPFoundation

/// The files of a ZIP archive held in memory, found through its central directory, and
/// read with bounds a hostile upload cannot get round: every offset is checked against
/// the bytes, a file may not inflate past a limit (a zip bomb stops while it inflates),
/// and a compressed stream that does not end where its size says is refused (ZIPFoundation
/// 0.9's own reader waits for more input forever). Inflating itself is ZIPFoundation's.
struct ZipEntries: Sendable {
    struct Entry: Sendable {
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeader: Int
    }

    private let bytes: [UInt8]
    private let entries: [String: Entry]

    /// Reads the central directory of `bytes`; anything that is not a ZIP archive, or
    /// points outside it, is an issue.
    init(_ bytes: [UInt8]) throws(ImportIssue) {
        self.bytes = bytes
        guard let end = Self.endOfCentralDirectory(in: bytes) else { throw ImportIssue("not a readable XLSX workbook (no ZIP directory)") }
        guard let count = bytes.uint16(at: end + 10), let offset = bytes.uint32(at: end + 16) else {
            throw ImportIssue("not a readable XLSX workbook (its ZIP directory is cut)")
        }
        var entries: [String: Entry] = [:]
        var position = Int(offset)
        for _ in 0..<count {
            guard bytes.uint32(at: position) == 0x0201_4B50, let method = bytes.uint16(at: position + 10), let crc = bytes.uint32(at: position + 16),
                let compressed = bytes.uint32(at: position + 20), let uncompressed = bytes.uint32(at: position + 24),
                let nameLength = bytes.uint16(at: position + 28), let extraLength = bytes.uint16(at: position + 30),
                let commentLength = bytes.uint16(at: position + 32), let local = bytes.uint32(at: position + 42),
                position + 46 + Int(nameLength) <= bytes.count
            else { throw ImportIssue("not a readable XLSX workbook (its ZIP directory entry at byte \(position) is damaged)") }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + Int(nameLength))], as: UTF8.self)
            entries[name] = Entry(
                method: method, crc: crc, compressedSize: Int(compressed), uncompressedSize: Int(uncompressed), localHeader: Int(local))
            position += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
        }
        self.entries = entries
    }

    /// Whether the archive holds a file at `path`.
    func contains(_ path: String) -> Bool { entries[path] != nil }

    /// The contents of the file at `path`, at most `limit` bytes once inflated.
    func contents(of path: String, limit: Int) throws(ImportIssue) -> Data {
        guard let entry = entries[path] else { throw ImportIssue("the workbook has no \(path)") }
        let tooLarge = ImportIssue("the workbook's \(path) is larger than \(limit >> 20) MiB uncompressed")
        guard entry.uncompressedSize <= limit else { throw tooLarge }
        guard bytes.uint32(at: entry.localHeader) == 0x0403_4B50, let nameLength = bytes.uint16(at: entry.localHeader + 26),
            let extraLength = bytes.uint16(at: entry.localHeader + 28)
        else { throw ImportIssue("the workbook's \(path) cannot be read (its ZIP header is damaged)") }
        let start = entry.localHeader + 30 + Int(nameLength) + Int(extraLength)
        guard start + entry.compressedSize <= bytes.count else { throw ImportIssue("the workbook's \(path) is cut short") }
        let stored = bytes[start..<(start + entry.compressedSize)]
        switch entry.method {
        case 0:
            guard stored.count <= limit else { throw tooLarge }
            return Data(stored)
        case 8:
            return try inflate(stored, path: path, entry: entry, limit: limit, tooLarge: tooLarge)
        default:
            throw ImportIssue("the workbook's \(path) uses ZIP compression method \(entry.method); only stored and deflated files are read")
        }
    }

    private struct Stop: Error { let issue: ImportIssue }

    private func inflate(_ stored: ArraySlice<UInt8>, path: String, entry: Entry, limit: Int, tooLarge: ImportIssue) throws(ImportIssue) -> Data {
        var output = Data()
        let crc: UInt32
        do {
            crc = try Data.decompress(
                size: Int64(stored.count), bufferSize: 1 << 16, skipCRC32: false,
                provider: { position, size in
                    guard position < stored.count else {
                        throw Stop(issue: ImportIssue("the workbook's \(path) is corrupt: its compressed data does not end"))
                    }
                    let from = stored.startIndex + Int(position)
                    return Data(stored[from..<min(from + size, stored.endIndex)])
                },
                consumer: { chunk in
                    guard output.count + chunk.count <= limit else { throw Stop(issue: tooLarge) }
                    output.append(chunk)
                })
        } catch let stop as Stop {
            throw stop.issue
        } catch {
            throw ImportIssue("the workbook's \(path) cannot be read (\(error))")
        }
        guard crc == entry.crc else { throw ImportIssue("the workbook's \(path) is corrupt: its checksum does not match") }
        return output
    }

    /// Where the end-of-central-directory record starts: searched backwards over the
    /// longest comment a ZIP may carry.
    private static func endOfCentralDirectory(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - Int(UInt16.max))
        return stride(from: bytes.count - 22, through: lowest, by: -1).first { bytes.uint32(at: $0) == 0x0605_4B50 }
    }
}

extension [UInt8] {
    /// The little-endian 16-bit value at `offset`, or nil past the end.
    fileprivate func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The little-endian 32-bit value at `offset`, or nil past the end.
    fileprivate func uint32(at offset: Int) -> UInt32? {
        guard let low = uint16(at: offset), let high = uint16(at: offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }
}
