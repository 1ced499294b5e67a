import CLibvirt
import Dispatch
import Foundation

/// An open connection to one libvirt driver (one host).
///
/// The connection owns its `virConnectPtr` and closes it in `deinit`. Every libvirt call
/// runs on the connection's serial queue, never on Swift's cooperative thread pool,
/// because libvirt calls block (they may talk to a remote daemon over SSH).
///
/// `@unchecked Sendable`: the pointer is private and only touched on `queue`.
public final class LibvirtConnection: @unchecked Sendable {
    /// The URI the connection was opened with.
    public let uri: String
    private let pointer: OpaquePointer
    private let queue: DispatchQueue

    private init(uri: String, pointer: OpaquePointer, queue: DispatchQueue) {
        self.uri = uri
        self.pointer = pointer
        self.queue = queue
    }

    deinit { virConnectClose(pointer) }

    /// Opens a read-write connection to `uri` (`lxc:///system`, `test:///default`, …).
    public static func open(_ uri: String) async throws -> LibvirtConnection {
        LibvirtLibrary.initialise()
        let queue = DispatchQueue(label: "kennel.libvirt.\(uri)")
        return try await onQueue(queue) {
            guard let pointer = virConnectOpen(uri) else {
                throw LibvirtError.last(or: "cannot open \(uri)")
            }
            return LibvirtConnection(uri: uri, pointer: pointer, queue: queue)
        }
    }

    /// Runs a blocking libvirt call on this connection's queue with its pointer.
    func perform<Value: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> Value) async throws -> Value {
        try await Self.onQueue(queue) { try body(self.pointer) }
    }

    /// Defines (or redefines, same name and UUID) a persistent domain from XML.
    public func define(xml: String) async throws -> LibvirtDomain {
        try await perform { connection in
            guard let domain = virDomainDefineXML(connection, xml) else { throw LibvirtError.last(or: "define failed") }
            return LibvirtDomain(pointer: domain, connection: self)
        }
    }

    /// The domain named `name`, or nil when the host has none.
    public func domain(named name: String) async throws -> LibvirtDomain? {
        try await perform { connection in
            guard let domain = virDomainLookupByName(connection, name) else {
                let error = LibvirtError.last(or: "lookup of \(name) failed")
                if error.isNoDomain { return nil }
                throw error
            }
            return LibvirtDomain(pointer: domain, connection: self)
        }
    }

    /// Every domain on the host, defined or running.
    public func domains() async throws -> [LibvirtDomain] {
        try await perform { connection in
            var list: UnsafeMutablePointer<virDomainPtr?>?
            let count = virConnectListAllDomains(connection, &list, 0)
            guard count >= 0, let list else { throw LibvirtError.last(or: "listing domains failed") }
            defer { free(list) }
            return (0..<Int(count)).compactMap { index in
                list[index].map { LibvirtDomain(pointer: $0, connection: self) }
            }
        }
    }

    /// The libvirt daemon's library version, `9.0.0`.
    public func libraryVersion() async throws -> String {
        try await perform { connection in
            var version: UInt = 0
            guard virConnectGetLibVersion(connection, &version) == 0 else { throw LibvirtError.last(or: "reading libvirt's version failed") }
            return "\(version / 1_000_000).\(version / 1000 % 1000).\(version % 1000)"
        }
    }

    /// The names of the domains that run on the host: one listing call, the names read
    /// from the handles it returns (no call per domain to the daemon).
    public func runningDomainNames() async throws -> [String] {
        try await perform { connection in
            var list: UnsafeMutablePointer<virDomainPtr?>?
            let count = virConnectListAllDomains(connection, &list, UInt32(VIR_CONNECT_LIST_DOMAINS_ACTIVE.rawValue))
            guard count >= 0, let list else { throw LibvirtError.last(or: "listing domains failed") }
            defer { free(list) }
            var names: [String] = []
            for index in 0..<Int(count) {
                guard let domain = list[index] else { continue }
                if let name = virDomainGetName(domain) { names.append(String(cString: name)) }
                virDomainFree(domain)
            }
            return names
        }
    }

    private static func onQueue<Value: Sendable>(
        _ queue: DispatchQueue, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Process-wide libvirt set-up, done once before the first connection.
enum LibvirtLibrary {
    private static let once: Void = {
        virInitialize()
        // libvirt prints every error to stderr unless a handler is set; Kennel reports
        // errors itself, through LibvirtError.
        virSetErrorFunc(nil) { _, _ in }
    }()

    static func initialise() { once }
}
