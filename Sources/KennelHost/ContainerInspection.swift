import Foundation
import KennelModel

/// Reads a running container from the host through `/proc`, without entering it.
public struct ContainerInspection: Sendable {
    /// The `/proc` to read (a fixture directory in tests).
    public let proc: String

    public init(proc: String = "/proc") {
        self.proc = proc
    }

    /// The container's init: the child of libvirt's controller process.
    public func initPID(ofController controller: Int32) -> Int32? {
        let children = "\(proc)/\(controller)/task/\(controller)/children"
        if let text = try? String(contentsOfFile: children, encoding: .utf8),
            let first = text.split(separator: " ").first, let pid = Int32(first)
        {
            return pid
        }
        // Kernels without CONFIG_PROC_CHILDREN: look for a process whose parent it is.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: proc)) ?? []
        return entries.compactMap(Int32.init).sorted().first { parent(of: $0) == controller }
    }

    /// Whether something in `pid`'s network namespace listens on TCP `port` (IPv4 or IPv6).
    public func isListening(pid: Int32, port: UInt16) -> Bool {
        ["tcp", "tcp6"].contains { table in
            guard let text = try? String(contentsOfFile: "\(proc)/\(pid)/net/\(table)", encoding: .utf8) else { return false }
            return Self.listeningPorts(inTCPTable: text).contains(port)
        }
    }

    /// The ports in LISTEN state (`0A`) of a `/proc/net/tcp` or `tcp6` table.
    public static func listeningPorts(inTCPTable text: String) -> Set<UInt16> {
        var ports: Set<UInt16> = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                let port = UInt16(fields[1][fields[1].index(after: colon)...], radix: 16)
            else { continue }
            ports.insert(port)
        }
        return ports
    }

    /// A process as itself: its PID and its start time, which a later process given the
    /// same PID does not share.
    public func identity(of pid: Int32) -> ProcessIdentity? {
        // Field 22 of stat, the 20th after the command name's closing parenthesis.
        guard let fields = statFields(of: pid), fields.count > 19, let started = UInt64(fields[19]) else { return nil }
        return ProcessIdentity(pid: pid, startTime: started)
    }

    private func parent(of pid: Int32) -> Int32? {
        // After "pid (comm) ": state, then the parent's PID.
        guard let fields = statFields(of: pid), fields.count > 1 else { return nil }
        return Int32(fields[1])
    }

    /// The fields of `/proc/PID/stat` after the command name (which may hold spaces and parentheses).
    private func statFields(of pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "\(proc)/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }
}

/// A process told apart from any later one given the same PID: its PID and its start
/// time (clock ticks after boot, field 22 of `/proc/PID/stat`).
public struct ProcessIdentity: Hashable, Sendable {
    public let pid: Int32
    public let startTime: UInt64
}
