import KennelModel
import Testing

@Suite("Host requests from form fields")
struct HostRequestTests {
    private func fields(_ pairs: [(String, String)]) throws(KennelError) -> RequestFields {
        try RequestFields(pairs.map { (name: $0.0, value: $0.1) }, allowed: HostRequest.createFields.union(HostRequest.updateFields))
    }

    private let complete = [
        ("name", "h1"), ("uri", "test:///default"), ("idc", "dc1"), ("zone", "z1"), ("rack", "r1"),
        ("cpus", "8"), ("memory", "32G"), ("disk", "500G"),
    ]

    @Test("a complete host parses")
    func completeHost() throws {
        let host = try HostRequest.host(from: fields(complete))
        #expect(host.capacity.disk == .gibibytes(500))
        #expect(host.bridge == "br0")
    }

    // Found by schemathesis: `disk=0G` on an update passed parsing and reached the store's
    // CHECK constraint as a 500.
    @Test("capacities of zero are refused naming the field, on create and on update", arguments: ["memory", "disk"])
    func zeroCapacity(field: String) throws {
        let host = try HostRequest.host(from: fields(complete))
        for value in ["0G", "0M", "0K"] {
            #expect {
                try HostRequest.apply(fields([(field, value)]), to: host)
            } throws: { error in
                (error as? KennelError)?.field == field && (error as? KennelError)?.message.contains("greater than 0") == true
            }
            #expect {
                try HostRequest.host(from: fields(complete.filter { $0.0 != field } + [(field, value)]))
            } throws: { error in
                (error as? KennelError)?.field == field
            }
        }
    }
}
