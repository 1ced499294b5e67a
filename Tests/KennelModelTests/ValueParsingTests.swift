import KennelModel
import Testing

@Suite("Parsing values at the edge")
struct ValueParsingTests {
    @Test("valid hostnames parse and keep their text", arguments: ["a", "web-01", "0db", "a-b-c", String(repeating: "x", count: 63)])
    func validHostnames(text: String) throws {
        #expect(try Hostname(parsing: text).value == text)
    }

    @Test(
        "invalid hostnames are refused with a reason",
        arguments: [
            ("", "must not be empty"), ("Web-01", "lower-case; write 'web-01'"), ("web_01", "a-z, 0-9 and '-' (RFC 1123 label); write 'web-01'"),
            ("Web_01", "must be lower-case; write 'web-01'"), ("web 01.a", "write 'web-01-a'"), ("1234", "must not be all digits"),
            ("web!", "(RFC 1123 label)"), ("-web", "start or end"),
            ("web-", "start or end"), (String(repeating: "x", count: 64), "at most 63"), ("web.01", "a-z, 0-9"), ("wéb", "a-z, 0-9"),
        ])
    func invalidHostnames(text: String, reason: String) {
        #expect {
            try Hostname(parsing: text)
        } throws: { error in
            (error as? InvalidValue)?.reason.contains(reason) == true
        }
    }

    @Test(
        "IPv4 addresses parse to their 32-bit value",
        arguments: [
            ("0.0.0.0", UInt32(0)), ("10.100.0.1", UInt32(0x0A64_0001)), ("255.255.255.255", UInt32.max), ("192.168.1.20", UInt32(0xC0A8_0114)),
        ])
    func ipv4(text: String, value: UInt32) throws {
        let address = try IPv4Address(parsing: text)
        #expect(address.value == value)
        #expect(address.description == text)
    }

    @Test(
        "malformed IPv4 addresses are refused",
        arguments: [
            "", "10.0.0", "10.0.0.0.1", "256.0.0.1", "10.0.0.-1", "a.b.c.d", "10.01.0.1", "10..0.1", " 10.0.0.1", "1000.0.0.1",
        ])
    func badIPv4(text: String) {
        #expect(throws: InvalidValue.self) { try IPv4Address(parsing: text) }
    }

    @Test(
        "CIDRs parse and know their network",
        arguments: [
            ("10.100.0.0/24", "10.100.0.255", UInt64(256)), ("10.0.0.0/8", "10.255.255.255", UInt64(1 << 24)),
            ("192.168.1.8/29", "192.168.1.15", UInt64(8)), ("0.0.0.0/0", "255.255.255.255", UInt64(1) << 32),
        ])
    func cidr(text: String, broadcast: String, size: UInt64) throws {
        let cidr = try CIDR(parsing: text)
        #expect(cidr.description == text)
        #expect(cidr.broadcast.description == broadcast)
        #expect(cidr.size == size)
        #expect(cidr.contains(cidr.network))
        #expect(cidr.contains(cidr.broadcast))
    }

    @Test("bad CIDRs are refused", arguments: ["10.0.0.0", "10.0.0.0/33", "10.0.0.1/24", "10.0.0.0/", "10.0.0.0/a", "10.0.0/24", "10.0.0.0/-1"])
    func badCIDR(text: String) {
        #expect(throws: InvalidValue.self) { try CIDR(parsing: text) }
    }

    @Test("host bits set are named in the error")
    func hostBits() {
        #expect {
            try CIDR(parsing: "10.100.0.5/24")
        } throws: { error in
            (error as? InvalidValue)?.reason.contains("network is 10.100.0.0/24") == true
        }
    }

    @Test("MACs parse, and derived MACs are locally administered unicast")
    func macs() throws {
        #expect(try MACAddress(parsing: "52:54:0A:64:00:02").description == "52:54:0a:64:00:02")
        #expect(try MACAddress(parsing: "52-54-0a-64-00-02").description == "52:54:0a:64:00:02")
        let derived = MACAddress(derivedFrom: try IPv4Address(parsing: "10.100.0.2"))
        #expect(derived.description == "52:54:0a:64:00:02")
        #expect(derived.octets[0] & 0x02 == 0x02)
        #expect(derived.octets[0] & 0x01 == 0)
    }

    @Test(
        "bad MACs are refused",
        arguments: [
            "", "00:00:00:00:00:00", "01:00:5e:00:00:01", "52:54:0a:64:00", "52:54:0a:64:00:zz", "5254.0a64.0002", "52:54:0a-64:00:02",
            "52:54:0a:64:00:02:", "+2:54:0a:64:00:02", "52:54:0a:64:00:2", "52:54:0a:64:0002", "52.54.0a.64.00.02", "５2:54:0a:64:00:02",
        ])
    func badMACs(text: String) {
        #expect(throws: InvalidValue.self) { try MACAddress(parsing: text) }
    }

    @Test(
        "VLAN IDs are 1–4094",
        arguments: [("1", true), ("100", true), ("4094", true), ("0", false), ("4095", false), ("-1", false), ("x", false), ("", false)])
    func vlans(text: String, valid: Bool) {
        #expect(((try? VLANID(parsing: text)) != nil) == valid)
    }

    @Test(
        "sizes use binary units",
        arguments: [
            ("512M", UInt64(512) << 20), ("20G", UInt64(20) << 30), ("1T", UInt64(1) << 40), ("4096", UInt64(4096)),
            ("4g", UInt64(4) << 30), ("4GiB", UInt64(4) << 30), ("4GB", UInt64(4) << 30), ("1K", UInt64(1024)), ("0", UInt64(0)),
        ])
    func sizes(text: String, bytes: UInt64) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test("bad sizes are refused", arguments: ["lots", "", "4X", "G", "4.5G", "-1G", "4 G", "99999999999999999999", "20000000P"])
    func badSizes(text: String) {
        #expect(throws: InvalidValue.self) { try ByteSize(parsing: text) }
    }

    @Test("sizes print in their largest exact unit", arguments: [("4G", "4G"), ("1536M", "1536M"), ("1024M", "1G"), ("1000", "1000")])
    func sizeDescriptions(text: String, shown: String) throws {
        #expect(try ByteSize(parsing: text).description == shown)
    }

    @Test(
        "bandwidth uses decimal units",
        arguments: [
            ("100M", UInt64(100_000_000)), ("1G", UInt64(1_000_000_000)), ("100Mbit", UInt64(100_000_000)),
            ("100mbps", UInt64(100_000_000)), ("512K", UInt64(512_000)), ("8000", UInt64(8000)),
        ])
    func bandwidth(text: String, bits: UInt64) throws {
        #expect(try Bandwidth(parsing: text).bitsPerSecond == bits)
    }

    @Test("bad bandwidth is refused", arguments: ["fast", "0", "0M", "100MB/s", "", "1.5G"])
    func badBandwidth(text: String) {
        #expect(throws: InvalidValue.self) { try Bandwidth(parsing: text) }
    }

    @Test(
        "CPU counts are whole numbers 1–256",
        arguments: [("1", true), ("2", true), ("256", true), ("0", false), ("257", false), ("1.5", false), ("two", false), ("-1", false)])
    func cpuCounts(text: String, valid: Bool) {
        #expect(((try? CPUCount(parsing: text)) != nil) == valid)
    }

    @Test(
        "host CPU threads go beyond a machine's 256",
        arguments: [("384", true), ("4096", true), ("1", true), ("0", false), ("4097", false), ("-8", false), ("+8", false), ("8.0", false)])
    func hostCPUs(text: String, valid: Bool) {
        #expect(((try? HostCPUCount(parsing: text)) != nil) == valid)
    }

    @Test(
        "CPU refusals say the bound",
        arguments: [("-1", "must be at least 1"), ("0", "must be at least 1"), ("300", "at most 256"), ("x", "not a whole number")])
    func cpuMessages(text: String, reason: String) {
        #expect { try CPUCount(parsing: text) } throws: { ($0 as? InvalidValue)?.reason.contains(reason) == true }
    }

    @Test(
        "labels allow owners and services but no markup or spaces",
        arguments: [
            ("web", true), ("team-pay", true), ("alice@example.com", true), ("a b", false), ("<script>", false), ("", false), ("x'y", false),
        ])
    func labels(text: String, valid: Bool) {
        #expect(((try? Label(parsing: text)) != nil) == valid)
    }

    @Test(
        "image names",
        arguments: [
            ("debian-12", true), ("debian-12:2026.11", true), ("12_x", true), ("Debian", false), ("-x", false), ("a/b", false), (".x", false),
            ("", false), (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false), ("débian", false),
        ])
    func images(text: String, valid: Bool) {
        #expect(((try? ImageName(parsing: text)) != nil) == valid)
    }
}
