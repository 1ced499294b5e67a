import Foundation
@testable import KennelHost
import KennelModel
import Testing

@Suite("Node sessions: many requests over one process")
struct NodeSessionTests {
    private let request = NodeRequest.facts(.read(bridge: "br0", volumes: .standard))

    /// A stand-in for `ssh HOST kennel node serve` that answers every line with its number.
    private func echoSession(_ script: String) -> NodeSession {
        NodeSession(executable: "/bin/sh", arguments: ["-c", script], hostName: "test")
    }

    @Test("concurrent requests each get their own answer, matched by number")
    func concurrent() async throws {
        let session = echoSession(#"while read -r line; do echo "$line" | sed 's/.*"id":\([0-9]*\).*/{"id":\1,"reply":"\1"}/'; done"#)
        let request = request
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 1...20 { group.addTask { String(decoding: try await session.send(request), as: UTF8.self) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers) == Set((1...20).map(String.init)))
    }

    @Test("an answer larger than a pipe's buffer arrives whole, its chunks in order")
    func largeAnswer() async throws {
        let session = echoSession(#"read -r line; printf '{"id":1,"reply":"%s"}\n' "$(head -c 300000 /dev/zero | tr '\0' 'a')"; read -r line"#)
        let answer = try await session.send(request)
        #expect(answer.count == 300_000 && answer.allSatisfy { $0 == UInt8(ascii: "a") })
    }

    @Test("an error answer is a host_failure with the node's text")
    func errorAnswer() async throws {
        let session = echoSession(#"while read -r line; do echo "$line" | sed 's/.*"id":\([0-9]*\).*/{"id":\1,"error":"disk full"}/'; done"#)
        await #expect {
            _ = try await session.send(request)
        } throws: { error in
            (error as? KennelError)?.code == .hostFailure && (error as? KennelError)?.message.contains("disk full") == true
        }
    }

    @Test("a refusal the host decided comes back as a conflict naming its field, not as a host failure")
    func refusalAnswer() async throws {
        let session = echoSession(
            #"while read -r line; do echo "$line" | sed 's/.*"id":\([0-9]*\).*/{"id":\1,"error":"x","refusal":{"message":"files need 3G","field":"disk"}}/'; done"#
        )
        await #expect {
            _ = try await session.send(request)
        } throws: { error in
            let error = error as? KennelError
            return error?.code == .conflict && error?.field == "disk" && error?.message == "files need 3G"
        }
    }

    @Test("a refusal keeps its code: no_capacity stays no_capacity; none, or one the control plane does not pass on, is a conflict")
    func refusalCodes() {
        let refusal = { (code: String?) in NodeSessionMessage.Refusal(message: "full", field: "disk", code: code).error.code }
        #expect(refusal("no_capacity") == .noCapacity)
        #expect(refusal(nil) == .conflict)
        #expect(refusal("host_failure") == .conflict)
    }

    @Test("a session that ends before answering fails its requests as lost, and the next request opens a new one")
    func lost() async throws {
        let session = echoSession("read -r line; exit 0")
        await #expect(throws: NodeSessionLost.self) { _ = try await session.send(request) }
        await #expect(throws: NodeSessionLost.self) { _ = try await session.send(request) }
    }
}
