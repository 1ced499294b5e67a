import Foundation
import KennelControl
import KennelModel
import Testing

@Suite("Token secrets and machine lock tickets")
struct AccessPrimitivesTests {
    @Test("a secret is kennel_ and 43 base64url characters, unique, and only its 64-hex SHA-256 is kept")
    func secrets() throws {
        let secrets = (0..<200).map { _ in TokenSecret.generate() }
        #expect(Set(secrets.map(\.text)).count == 200)
        for secret in secrets.prefix(5) {
            #expect(secret.text.count == 50)
            #expect(TokenSecret(presented: secret.text) == secret)
            #expect(secret.sha256.count == 64 && secret.sha256 != secret.text)
            #expect(!"\(secret)".contains(secret.text.dropFirst(7)))
        }
        for bad in ["", "kennel_", "kennel_" + String(repeating: "a", count: 42), "kennel_" + String(repeating: "+", count: 43), "Bearer x"] {
            #expect(TokenSecret(presented: bad) == nil)
        }
        // The hash of a known text, so the stored form is stable across versions.
        let known = try #require(TokenSecret(presented: "kennel_" + String(repeating: "A", count: 43)))
        #expect(known.sha256 == "f17e2c45cccd83d997e9ee70799aceee8cb8f1a15c6ddd8a272bed3fcbc9161e")
    }

    @Test("lock tickets are served in the order they were taken, whatever order their waiters arrive in")
    func ticketOrder() async throws {
        let locks = MachineLocks()
        let name = try Hostname(parsing: "web-01")
        let first = await locks.enqueue(name)
        let second = await locks.enqueue(name)
        let third = await locks.enqueue(name)
        let order = OrderLog()
        let late = Task {
            await locks.wait(for: third)
            await order.append(3)
            await locks.release(third)
        }
        let middle = Task {
            await locks.wait(for: second)
            await order.append(2)
            await locks.release(second)
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await order.items.isEmpty)
        await locks.wait(for: first)
        await order.append(1)
        await locks.release(first)
        await late.value
        await middle.value
        #expect(await order.items == [1, 2, 3])
    }

    @Test("a ticket released before its turn leaves the line without blocking the rest")
    func abandonedTicket() async throws {
        let locks = MachineLocks()
        let name = try Hostname(parsing: "web-01")
        let first = await locks.enqueue(name)
        let abandoned = await locks.enqueue(name)
        let third = await locks.enqueue(name)
        await locks.release(abandoned)
        await locks.release(first)
        await locks.wait(for: third)
        await locks.release(third)
    }
}

actor OrderLog {
    private(set) var items: [Int] = []
    func append(_ item: Int) { items.append(item) }
}
