import KennelModel
import Testing

@Suite("Machine requests from form fields")
struct MachineRequestTests {
    private func request(_ pairs: [(String, String)]) throws(KennelError) -> MachineRequest {
        try MachineRequest(fields: RequestFields(pairs.map { (name: $0.0, value: $0.1) }, allowed: MachineRequest.fieldNames))
    }

    @Test("a full request parses every field into its type")
    func fullRequest() throws {
        let parsed = try request([
            ("name", "web-01"), ("idc", "dc1"), ("zone", "z1"), ("cpus", "2"), ("memory", "4G"), ("disk", "20G"),
            ("image", "debian-12"), ("service", "web"), ("owner", "team-web"), ("pool", "dc1-vlan100"),
            ("ip", "10.100.0.20"), ("ingress", "100M"), ("egress", "50M"),
        ])
        #expect(parsed.name.value == "web-01")
        #expect(parsed.zone?.value == "z1")
        #expect(parsed.spec.cpus.value == 2)
        #expect(parsed.spec.memory == .gibibytes(4))
        #expect(parsed.spec.disk == .gibibytes(20))
        #expect(parsed.spec.ingress == .megabits(100))
        #expect(parsed.spec.egress == .megabits(50))
        #expect(parsed.ip?.description == "10.100.0.20")
        #expect(parsed.owner?.value == "team-web")
    }

    @Test("left-out and empty fields take the defaults")
    func defaults() throws {
        let parsed = try request([("name", "db-1"), ("idc", "dc1"), ("zone", ""), ("memory", "")])
        #expect(parsed.zone == nil)
        #expect(parsed.spec.cpus.value == 1)
        #expect(parsed.spec.memory == .gibibytes(1))
        #expect(parsed.spec.disk == .gibibytes(10))
        #expect(parsed.spec.image.value == "debian-12")
        #expect(parsed.service == nil)
    }

    @Test(
        "each bad field is named in the error",
        arguments: [
            ("name", "Web_01", KennelError.Code.invalidField), ("memory", "lots", .invalidField), ("cpus", "0", .invalidField),
            ("disk", "big", .invalidField), ("ip", "10.100.0.300", .invalidField), ("ingress", "fast", .invalidField),
            ("idc", "DC1", .invalidField), ("service", "a b", .invalidField),
        ])
    func badField(field: String, value: String, code: KennelError.Code) {
        var pairs = [("name", "web-01"), ("idc", "dc1")].filter { $0.0 != field }
        pairs.append((field, value))
        #expect {
            try request(pairs)
        } throws: { error in
            let error = error as? KennelError
            return error?.field == field && error?.code == code
        }
    }

    @Test(
        "sizes and rates that cannot work are refused naming the field and the bound",
        arguments: [
            ("memory", "0", "has no unit"), ("memory", "512", "write 512M or 512G"), ("memory", "0M", "greater than 0"),
            ("memory", "512K", "at least 64M"), ("memory", "63M", "at least 64M"), ("memory", "-1G", "not a size"),
            ("disk", "0", "has no unit"), ("disk", "512", "has no unit"), ("disk", "1K", "at least 512M"), ("disk", "511M", "at least 512M"),
            ("ingress", "1", "has no unit"), ("ingress", "999K", "the least is 1M"), ("egress", "500000", "has no unit"),
            ("egress", "0M", "greater than 0"),
        ])
    func sizesThatCannotWork(field: String, value: String, reason: String) {
        #expect {
            try request([("name", "web-01"), ("idc", "dc1"), (field, value)])
        } throws: { error in
            let error = error as? KennelError
            return error?.field == field && error?.code == .invalidField && error?.message.contains(reason) == true
        }
    }

    @Test(
        "the smallest sizes that can work are accepted",
        arguments: [
            ("memory", "64M"), ("memory", "65536K"), ("disk", "512M"), ("ingress", "1M"), ("egress", "1000K"), ("egress", "1Mbit"),
        ])
    func smallestSizes(field: String, value: String) throws {
        _ = try request([("name", "web-01"), ("idc", "dc1"), (field, value)])
    }

    @Test("missing required fields are named", arguments: ["name", "idc"])
    func missing(field: String) {
        let pairs = [("name", "web-01"), ("idc", "dc1")].filter { $0.0 != field }
        #expect(throws: KennelError.missing(field)) { try request(pairs) }
    }

    @Test("unknown and repeated fields are refused")
    func unknownAndRepeated() {
        #expect {
            try request([("name", "web-01"), ("idc", "dc1"), ("memroy", "4G")])
        } throws: { ($0 as? KennelError)?.code == .unknownField && ($0 as? KennelError)?.field == "memroy" }
        #expect {
            try request([("name", "web-01"), ("name", "web-02"), ("idc", "dc1")])
        } throws: { ($0 as? KennelError)?.field == "name" }
    }
}
