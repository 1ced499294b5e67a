import CLibvirt
import Foundation

/// A libvirt domain (for Kennel, a machine's container) on one connection.
///
/// Owns its `virDomainPtr`, freed in `deinit`, and keeps its connection alive.
/// `@unchecked Sendable`: the pointer is private and used only on the connection's queue.
public final class LibvirtDomain: @unchecked Sendable {
    /// The connection the domain belongs to.
    public let connection: LibvirtConnection
    private let pointer: OpaquePointer

    init(pointer: OpaquePointer, connection: LibvirtConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { virDomainFree(pointer) }

    /// The run state of a domain, as Kennel cares about it.
    public enum State: String, Sendable, Equatable {
        case running, paused, shutdown, shutoff, crashed, other
    }

    /// The domain's name.
    public func name() async throws -> String {
        try await call { domain in
            guard let name = virDomainGetName(domain) else { throw LibvirtError.last(or: "no name") }
            return String(cString: name)
        }
    }

    /// The domain's UUID.
    public func uuid() async throws -> UUID {
        try await call { domain in
            var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
            guard virDomainGetUUIDString(domain, &buffer) == 0 else { throw LibvirtError.last(or: "no UUID") }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard let uuid = UUID(uuidString: text) else { throw LibvirtError(code: -1, area: 0, message: "bad UUID \(text)") }
            return uuid
        }
    }

    /// The domain's id while it runs (for LXC domains, the PID of its `libvirt_lxc`
    /// controller on the host); nil when it does not run.
    public func id() async throws -> Int32? {
        try await call { domain in
            let id = virDomainGetID(domain)
            return id == UInt32.max ? nil : Int32(bitPattern: id)
        }
    }

    /// The domain's current run state.
    public func state() async throws -> State {
        try await call { domain in
            var state: Int32 = 0
            var reason: Int32 = 0
            guard virDomainGetState(domain, &state, &reason, 0) == 0 else { throw LibvirtError.last(or: "state failed") }
            switch UInt32(state) {
            case VIR_DOMAIN_RUNNING.rawValue: return .running
            case VIR_DOMAIN_PAUSED.rawValue: return .paused
            case VIR_DOMAIN_SHUTDOWN.rawValue: return .shutdown
            case VIR_DOMAIN_SHUTOFF.rawValue: return .shutoff
            case VIR_DOMAIN_CRASHED.rawValue: return .crashed
            default: return .other
            }
        }
    }

    /// Starts the defined domain.
    public func start() async throws {
        try await check("start") { virDomainCreate($0) }
    }

    /// Asks the domain's init to shut down (SIGTERM to a container's init, which
    /// supervisord answers by stopping its programs and exiting); returns at once.
    /// Drivers without the signal method (the test driver) get a plain shutdown.
    public func shutdown() async throws {
        try await call { domain in
            if virDomainShutdownFlags(domain, VIR_DOMAIN_SHUTDOWN_SIGNAL.rawValue) == 0 { return }
            let error = LibvirtError.last(or: "shutdown failed")
            guard error.code == Int32(VIR_ERR_INVALID_ARG.rawValue) else { throw error }
            guard virDomainShutdown(domain) == 0 else { throw LibvirtError.last(or: "shutdown failed") }
        }
    }

    /// Stops the domain at once (kills its init).
    public func destroy() async throws {
        try await check("destroy") { virDomainDestroy($0) }
    }

    /// Removes the persistent definition.
    public func undefine() async throws {
        try await check("undefine") { virDomainUndefine($0) }
    }

    /// Whether the host starts the domain when it boots.
    public func autostart() async throws -> Bool {
        try await call { domain in
            var value: Int32 = 0
            guard virDomainGetAutostart(domain, &value) == 0 else { throw LibvirtError.last(or: "autostart failed") }
            return value != 0
        }
    }

    /// Sets whether the host starts the domain when it boots.
    public func setAutostart(_ enabled: Bool) async throws {
        try await check("set autostart") { virDomainSetAutostart($0, enabled ? 1 : 0) }
    }

    /// The domain's XML as libvirt holds it.
    public func xml() async throws -> String {
        try await call { domain in
            guard let text = virDomainGetXMLDesc(domain, 0) else { throw LibvirtError.last(or: "XML failed") }
            defer { free(text) }
            return String(cString: text)
        }
    }

    /// Changes the average bandwidth of interface `device` on the running domain, in
    /// kilobytes per second (0 removes the limit). `inbound` is traffic into the domain.
    public func setInterfaceBandwidth(device: String, inboundKBps: UInt32, outboundKBps: UInt32) async throws {
        try await call { domain in
            var params: virTypedParameterPtr?
            var count: Int32 = 0
            var capacity: Int32 = 0
            defer { virTypedParamsFree(params, count) }
            guard virTypedParamsAddUInt(&params, &count, &capacity, "inbound.average", inboundKBps) == 0,
                virTypedParamsAddUInt(&params, &count, &capacity, "outbound.average", outboundKBps) == 0
            else { throw LibvirtError.last(or: "building bandwidth parameters failed") }
            let flags = UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)
            guard virDomainSetInterfaceParameters(domain, device, params, count, flags) == 0 else {
                throw LibvirtError.last(or: "setting bandwidth of \(device) failed")
            }
        }
    }

    /// Throttles block device `device` (`/dev/loop3`) of the running domain through its
    /// blkio cgroup: bytes and operations per second each way, 0 for no limit.
    public func setBlockThrottle(device: String, readBytes: UInt64, writeBytes: UInt64, readIOPS: UInt64, writeIOPS: UInt64) async throws {
        try await call { domain in
            var params: virTypedParameterPtr?
            var count: Int32 = 0
            var capacity: Int32 = 0
            defer { virTypedParamsFree(params, count) }
            let settings = [
                (VIR_DOMAIN_BLKIO_DEVICE_READ_BPS, readBytes), (VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS, writeBytes),
                (VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS, readIOPS), (VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, writeIOPS),
            ]
            for (name, value) in settings {
                guard virTypedParamsAddString(&params, &count, &capacity, name, "\(device),\(value)") == 0 else {
                    throw LibvirtError.last(or: "building block IO parameters failed")
                }
            }
            let flags = UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)
            guard virDomainSetBlkioParameters(domain, params, count, flags) == 0 else {
                throw LibvirtError.last(or: "setting block IO limits of \(device) failed")
            }
        }
    }

    /// Changes the running domain's CPU weight and cap (`cpu.shares`, the CFS period and
    /// quota in µs) through its cpu cgroup.
    public func setCPULimits(shares: UInt64, period: UInt64, quota: Int64) async throws {
        try await call { domain in
            var params: virTypedParameterPtr?
            var count: Int32 = 0
            var capacity: Int32 = 0
            defer { virTypedParamsFree(params, count) }
            guard virTypedParamsAddULLong(&params, &count, &capacity, VIR_DOMAIN_SCHEDULER_CPU_SHARES, shares) == 0,
                virTypedParamsAddULLong(&params, &count, &capacity, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, period) == 0,
                virTypedParamsAddLLong(&params, &count, &capacity, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, quota) == 0
            else { throw LibvirtError.last(or: "building CPU parameters failed") }
            guard virDomainSetSchedulerParametersFlags(domain, params, count, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) == 0 else {
                throw LibvirtError.last(or: "setting CPU limits failed")
            }
        }
    }

    /// Changes the running domain's memory limits through its memory cgroup, in KiB: the
    /// hard limit, the soft limit and the limit of memory plus swap (nil lifts the last two).
    public func setMemoryLimits(hardKiB: UInt64, softKiB: UInt64?, swapHardKiB: UInt64?) async throws {
        try await call { domain in
            var params: virTypedParameterPtr?
            var count: Int32 = 0
            var capacity: Int32 = 0
            defer { virTypedParamsFree(params, count) }
            let unlimited = UInt64(VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)
            guard virTypedParamsAddULLong(&params, &count, &capacity, VIR_DOMAIN_MEMORY_HARD_LIMIT, hardKiB) == 0,
                virTypedParamsAddULLong(&params, &count, &capacity, VIR_DOMAIN_MEMORY_SOFT_LIMIT, softKiB ?? unlimited) == 0,
                virTypedParamsAddULLong(&params, &count, &capacity, VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, swapHardKiB ?? unlimited) == 0
            else { throw LibvirtError.last(or: "building memory parameters failed") }
            guard virDomainSetMemoryParameters(domain, params, count, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) == 0 else {
                throw LibvirtError.last(or: "setting memory limits failed")
            }
        }
    }

    /// CPU time and memory in use, as libvirt reports them (the LXC driver reads the
    /// container's cgroup): nanoseconds of CPU, and KiB of memory.
    public func usage() async throws -> (cpuNanoseconds: UInt64, memoryKiB: UInt64) {
        try await call { domain in
            var info = virDomainInfo()
            guard virDomainGetInfo(domain, &info) == 0 else { throw LibvirtError.last(or: "reading domain info failed") }
            return (info.cpuTime, UInt64(info.memory))
        }
    }

    /// Byte counters of interface `device` as the domain sees them: what it received and
    /// what it sent.
    public func interfaceBytes(device: String) async throws -> (received: Int64, sent: Int64) {
        try await call { domain in
            var stats = virDomainInterfaceStatsStruct()
            guard virDomainInterfaceStats(domain, device, &stats, MemoryLayout<virDomainInterfaceStatsStruct>.size) == 0 else {
                throw LibvirtError.last(or: "reading counters of \(device) failed")
            }
            return (stats.rx_bytes, stats.tx_bytes)
        }
    }

    private func call<Value: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> Value) async throws -> Value {
        try await connection.perform { _ in try body(self.pointer) }
    }

    private func check(_ what: String, _ body: @escaping @Sendable (OpaquePointer) -> Int32) async throws {
        try await call { domain in
            guard body(domain) == 0 else { throw LibvirtError.last(or: "\(what) failed") }
        }
    }
}
