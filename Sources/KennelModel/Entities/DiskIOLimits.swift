/// Throttles on a machine's root volume, applied to its block device through the
/// container's blkio cgroup; nil means unthrottled.
public struct DiskIOLimits: Hashable, Sendable, Codable {
    /// Bytes read per second.
    public var readBytesPerSecond: UInt64?
    /// Bytes written per second.
    public var writeBytesPerSecond: UInt64?
    /// Read operations per second.
    public var readIOPS: UInt64?
    /// Write operations per second.
    public var writeIOPS: UInt64?

    /// Creates limits; none by default.
    public init(readBytesPerSecond: UInt64? = nil, writeBytesPerSecond: UInt64? = nil, readIOPS: UInt64? = nil, writeIOPS: UInt64? = nil) {
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.readIOPS = readIOPS
        self.writeIOPS = writeIOPS
    }

    /// Whether any throttle is set.
    public var isEmpty: Bool { self == DiskIOLimits() }

    /// The request fields, in order.
    public static let fieldNames = ["disk_read_bps", "disk_write_bps", "disk_read_iops", "disk_write_iops"]

    /// Applies the IO fields given in `fields` to these limits; `0` or an empty value
    /// lifts a limit.
    public func applying(_ fields: RequestFields) throws(KennelError) -> DiskIOLimits {
        var limits = self
        func rate(_ name: String) throws(KennelError) -> UInt64?? {
            guard fields.isGiven(name) else { return .none }
            guard let text = fields.text(name), !text.isEmpty, text != "0" else { return .some(nil) }
            return .some(try fields.required(name, as: RequestedSize.self).size.bytes)
        }
        func count(_ name: String) throws(KennelError) -> UInt64?? {
            guard fields.isGiven(name) else { return .none }
            guard let text = fields.text(name), !text.isEmpty, text != "0" else { return .some(nil) }
            return .some(UInt64(try fields.required(name, as: IOPSCount.self).value))
        }
        if let value = try rate("disk_read_bps") { limits.readBytesPerSecond = value }
        if let value = try rate("disk_write_bps") { limits.writeBytesPerSecond = value }
        if let value = try count("disk_read_iops") { limits.readIOPS = value }
        if let value = try count("disk_write_iops") { limits.writeIOPS = value }
        return limits
    }
}

/// IO operations per second, 1–1,000,000.
public struct IOPSCount: ParsableValue {
    public let value: Int

    public init(parsing text: String) throws(InvalidValue) {
        guard let number = Int(text), text.count <= 8, text.first != "+", (1...1_000_000).contains(number) else {
            throw InvalidValue("'\(Echo.short(text))' is not a whole number of operations per second between 1 and 1000000 (0 lifts the limit)")
        }
        value = number
    }

    public var description: String { String(value) }
}
