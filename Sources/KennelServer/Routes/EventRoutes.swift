import Foundation
import Hummingbird
import KennelControl
import KennelModel
import NIOCore

/// `GET /api/v1/events`: Server-Sent Events of operation progress and machine lifecycle.
///
/// `type` (comma list; a name ending in `.` is a prefix, e.g. `machine.`), `machine`,
/// `Last-Event-ID` (header, or `last_event_id` in the query) to resume, `follow=0` to get
/// what the log holds and end. Without `Last-Event-ID` a follower starts with the next
/// event. The log is bounded: a reader whose next event was pruned gets one `dropped`
/// event and is disconnected (it reads too slowly, or resumed too late); publishing
/// never waits for any reader.
struct EventRoutes {
    typealias Context = KennelRequestContext
    let service: EventService
    var heartbeat: Duration = .seconds(15)

    func register(on group: RouterGroup<Context>) {
        group.get("events") { request, context in
            let requester = try context.requester()
            let types = try Query.value("type", in: request, as: CommaList<Label>.self)?.items.map(\.value) ?? []
            let machine: Hostname? = try Query.value("machine", in: request)
            let follow = request.uri.queryParameters["follow"] == nil ? true : try QueryFlag.given("follow", in: request)
            let resume = try Self.lastEventID(in: request)
            let filter = service.filter(types: types, machine: machine, by: requester)
            let start: Int64
            if let resume { start = resume } else { start = follow ? try await service.lastID() : 0 }
            let body = ResponseBody { writer in
                try await stream(into: &writer, from: start, filter: filter, follow: follow)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
        }
    }

    private func stream(into writer: inout any ResponseBodyWriter, from start: Int64, filter: EventFilter, follow: Bool) async throws {
        let (subscription, rings) = await service.log.subscribe()
        let (wakeups, wake) = AsyncStream<Bool>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let forwarding = Task {
            for await _ in rings { wake.yield(true) }
            wake.finish()
        }
        let beating = Task { [heartbeat] in
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                wake.yield(false)
            }
        }
        defer {
            forwarding.cancel()
            beating.cancel()
        }
        do {
            var cursor = start
            guard try await sendPending(into: &writer, after: &cursor, filter: filter) else {
                await service.log.unsubscribe(subscription)
                return try await writer.finish(nil)
            }
            if follow {
                for await isEvent in wakeups {
                    if isEvent {
                        guard try await sendPending(into: &writer, after: &cursor, filter: filter) else { break }
                    } else {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
            }
            await service.log.unsubscribe(subscription)
            try await writer.finish(nil)
        } catch {
            await service.log.unsubscribe(subscription)
            throw error
        }
    }

    /// Writes every event after `cursor`; false (after a `dropped` event) when events the
    /// reader had not seen were pruned.
    private func sendPending(into writer: inout any ResponseBodyWriter, after cursor: inout Int64, filter: EventFilter) async throws -> Bool {
        while true {
            let (events, gap) = try await service.events(after: cursor, matching: filter)
            if gap {
                try await writer.write(
                    ByteBuffer(string: "event: dropped\ndata: {\"reason\":\"events after \(cursor) were pruned; read the state again\"}\n\n"))
                return false
            }
            guard let last = events.last else { return true }
            var text = ""
            for event in events { text += Self.frame(event) }
            try await writer.write(ByteBuffer(string: text))
            cursor = last.id
        }
    }

    /// One event in the SSE format: `id`, `event` and one `data` line of JSON.
    static func frame(_ event: KennelEvent) -> String {
        var object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] ?? [:]
        object["id"] = event.id
        object["at"] = ISO8601DateFormatter().string(from: event.at)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return "id: \(event.id)\nevent: \(event.type)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }

    private static func lastEventID(in request: Request) throws -> Int64? {
        let header = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        guard let text = header ?? request.uri.queryParameters["last_event_id"].map(String.init), !text.isEmpty else { return nil }
        guard let id = Int64(text.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw KennelError.invalid("last_event_id", "'\(Echo.short(text))' is not an event id")
        }
        return id
    }
}
