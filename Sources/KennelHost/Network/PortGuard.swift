import Foundation
import KennelModel

/// OpenFlow rules on a machine's OVS port that let out only what the machine is: frames
/// with its own source MAC carrying IPv4 from its own address or ARP about its own
/// address; everything else from that port is dropped (defence in depth beside the
/// missing CAP_NET_ADMIN: root inside may still forge frames on a raw socket). The rules
/// carry a cookie of the machine's own, so they are replaced at every start (the port
/// number changes with the veth) and removed at delete.
public struct PortGuard: Sendable, Equatable, Codable {
    public let mac: MACAddress
    public let ip: IPv4Address
    /// The rules' cookie: the first 64 bits of the machine's UUID.
    public let cookie: UInt64

    public init(mac: MACAddress, ip: IPv4Address, cookie: UInt64) {
        self.mac = mac
        self.ip = ip
        self.cookie = cookie
    }

    /// The guard of `machine`.
    public init(of machine: Machine) {
        self.init(mac: machine.network.mac, ip: machine.network.ip, cookie: Self.cookie(of: machine.uuid))
    }

    /// The first 64 bits of `uuid`, big-endian.
    public static func cookie(of uuid: UUID) -> UInt64 {
        withUnsafeBytes(of: uuid.uuid) { $0.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
    }

    /// `cookie=0x…/-1`: every rule of this machine, whatever port it names.
    public var cookieMatch: String { "cookie=\(Self.hex(cookie))/-1" }

    /// The rules for OpenFlow port `port`, one per line, as `ovs-ofctl add-flows BRIDGE -` reads them.
    public func flows(port: Int) -> String {
        let head = "cookie=\(Self.hex(cookie)),in_port=\(port)"
        return [
            "\(head),priority=300,dl_src=\(mac),arp,arp_spa=\(ip),arp_sha=\(mac),actions=NORMAL",
            "\(head),priority=300,dl_src=\(mac),ip,nw_src=\(ip),actions=NORMAL",
            "\(head),priority=290,actions=drop",
        ].joined(separator: "\n") + "\n"
    }

    /// The deletion of the machine's rules on any port and of every rule on `port`, then
    /// its rules for `port`: the input of one `ovs-ofctl add-flows BRIDGE -` (lines run in
    /// order). OVS may give a new port the number an old one had; rules an old machine left
    /// there (its domain removed behind Kennel's back) would let this one send as it.
    public func replacement(port: Int) -> String {
        "delete \(cookieMatch)\ndelete in_port=\(port)\n" + flows(port: port)
    }

    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
