import KennelModel
import Testing

@Suite("Repeatable fields (ssh_key)")
struct RepeatableFieldTests {
    private let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtij/UoVgi14C434aZnXblEySoBr170tI861YIeoYPD alice@laptop"
    private let bob = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq2mS0yKJv9wJ2iXv2a8x1Yv0v1Lw0Zk8m3n4o5p6q7 bob@desk"

    private func request(_ pairs: [(String, String)]) throws(KennelError) -> MachineRequest {
        try MachineRequest(
            fields: RequestFields(
                pairs.map { (name: $0.0, value: $0.1) }, allowed: MachineRequest.fieldNames, repeatable: MachineRequest.repeatableFieldNames))
    }

    @Test("ssh_key may come several times, in order; empty ones are ignored")
    func several() throws {
        let parsed = try request([("name", "web-01"), ("idc", "dc1"), ("ssh_key", alice), ("ssh_key", ""), ("ssh_key", bob)])
        #expect(parsed.sshKeys.map(\.comment) == ["alice@laptop", "bob@desk"])
        #expect(try request([("name", "web-01"), ("idc", "dc1")]).sshKeys.isEmpty)
    }

    @Test("a bad key names the field and which value is bad")
    func badKey() {
        #expect {
            _ = try request([("name", "web-01"), ("idc", "dc1"), ("ssh_key", alice), ("ssh_key", "ssh-ed25519 notbase64!")])
        } throws: { error in
            let error = error as? KennelError
            return error?.field == "ssh_key" && error?.message.contains("value 2") == true
        }
    }

    @Test("other fields given twice are still refused")
    func twice() {
        #expect {
            _ = try request([("name", "web-01"), ("name", "web-02"), ("idc", "dc1")])
        } throws: { ($0 as? KennelError)?.field == "name" }
    }
}
