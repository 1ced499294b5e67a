import CLibvirt

/// A failed libvirt call: libvirt's error number, the area it came from, and its message.
public struct LibvirtError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `virErrorNumber`, e.g. 42 for "domain not found".
    public let code: Int32
    /// `virErrorDomain`: which part of libvirt raised it.
    public let area: Int32
    /// libvirt's message.
    public let message: String

    /// Creates an error from its parts.
    public init(code: Int32, area: Int32, message: String) {
        self.code = code
        self.area = area
        self.message = message
    }

    /// The error libvirt recorded for this thread. Call it right after the failing call,
    /// on the same thread: libvirt keeps the last error per thread.
    static func last(or fallback: String) -> LibvirtError {
        guard let error = virGetLastError() else { return LibvirtError(code: -1, area: 0, message: fallback) }
        let message = error.pointee.message.map { String(cString: $0) } ?? fallback
        return LibvirtError(code: error.pointee.code, area: error.pointee.domain, message: message)
    }

    /// Whether the error says the domain does not exist.
    public var isNoDomain: Bool { code == Int32(VIR_ERR_NO_DOMAIN.rawValue) }

    /// Whether the error says the domain is not running.
    public var isNotRunning: Bool { code == Int32(VIR_ERR_OPERATION_INVALID.rawValue) }

    public var description: String { "libvirt error \(code): \(message)" }
}
