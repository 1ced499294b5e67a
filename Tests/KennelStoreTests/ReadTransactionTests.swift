import Dispatch
import Foundation
import GRDB
import KennelControl
import KennelModel
import KennelStore
import KennelTesting
import Testing

@Suite("Read transactions run beside the writer")
struct ReadTransactionTests {
    @Test("a snapshot completes while a write transaction is held open, and sees the last committed state")
    func readWhileWriting() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-read-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMachineStore(path: directory.appendingPathComponent("kennel.sqlite").path)
        try await store.transaction { try $0.apply(TestSite.make()) }

        let readDone = DispatchSemaphore(value: 0)
        let writerStarted = DispatchSemaphore(value: 0)
        let writing = Task {
            try await store.transaction { store -> DispatchTimeoutResult in
                try store.insertIDC(TestSite.value("dc2"))
                writerStarted.signal()
                // Held open until the read below has finished; a read queued behind the
                // writer would never finish, and this wait would time out.
                return readDone.wait(timeout: .now() + 10)
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                writerStarted.wait()
                continuation.resume()
            }
        }
        let idcs = try await store.snapshot { try $0.idcs().map(\.value) }
        readDone.signal()
        #expect(try await writing.value == .success, "the read waited for the writer")
        #expect(idcs == ["dc1"], "the snapshot saw an uncommitted write")
        #expect(try await store.snapshot { try $0.idcs().map(\.value) } == ["dc1", "dc2"])
    }

    @Test("a snapshot refuses writes")
    func readOnly() async throws {
        let store = try SQLiteMachineStore.inMemory()
        try await store.transaction { try $0.apply(TestSite.make()) }
        await #expect(throws: (any Error).self) { try await store.snapshot { try $0.insertIDC(TestSite.value("dc2")) } }
        #expect(try await store.snapshot { try $0.idcs().count } == 1)
    }
}
