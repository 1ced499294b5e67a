import KennelModel

/// One direction of a machine's bandwidth shaped with htb on one device (shaping queues
/// packets to the rate; policing would drop them and TCP would fall far below it).
///
/// The burst is 10 ms of traffic at the rate, and at least ten full frames: a TCP
/// sender's bursts pass whole, so it reaches the rate instead of backing off (a fixed
/// 1 MiB burst, as some peers use, is too much at 10 Mbit/s and too little at 10 Gbit/s).
/// The quantum, what a class sends per round, is a thousandth of a second's worth,
/// between one frame and htb's 200,000-byte ceiling.
public struct HTBShaping: Sendable, Equatable {
    /// The rate, bits per second.
    public let rate: UInt64

    public init(rate: Bandwidth) {
        self.rate = rate.bitsPerSecond
    }

    /// A full Ethernet frame.
    static let frame: UInt64 = 1514

    /// Bytes htb lets through at once above the rate.
    public var burst: UInt64 { max(rate / 8 / 100, 10 * Self.frame) }

    /// Bytes a class sends per round.
    public var quantum: UInt64 { min(max(rate / 8 / 1000, Self.frame), 200_000) }

    /// The argv that make `device`'s root qdisc an htb with one class at the rate, every
    /// packet in it. When the htb is there already (`shaped`), only its class changes, in
    /// place (htb cannot replace itself: "Change operation not supported").
    public func commands(device: String, shaped: Bool) -> [[String]] {
        (shaped ? [] : [["tc", "qdisc", "replace", "dev", device, "root", "handle", "1:", "htb", "default", "1"]]) + [
            [
                "tc", "class", "replace", "dev", device, "parent", "1:", "classid", "1:1", "htb", "rate", "\(rate)bit", "ceil", "\(rate)bit",
                "burst", "\(burst)", "cburst", "\(burst)", "quantum", "\(quantum)",
            ]
        ]
    }

    /// The argv that remove `device`'s root qdisc (the kernel's default comes back).
    public static func removal(device: String) -> [String] { ["tc", "qdisc", "del", "dev", device, "root"] }

    /// Whether `tc qdisc show dev DEVICE` output shows Kennel's htb as root.
    public static func isShaped(_ qdiscs: String) -> Bool {
        qdiscs.split(separator: "\n").contains { $0.hasPrefix("qdisc htb 1: root") }
    }
}
