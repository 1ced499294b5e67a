import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `GET /api/v1/audit?machine=&user=&kind=&target=&since=&until=&after=&limit=`.
struct AuditRoutes {
    typealias Context = KennelRequestContext
    let service: AuditService

    func register(on group: RouterGroup<Context>) {
        group.get("audit") { request, context in
            let requester = try context.requester()
            var query = AuditQuery(
                targetKind: try Query.value("kind", in: request, as: Hostname.self)?.value,
                target: try Query.value("target", in: request, as: Label.self)?.value,
                user: try Query.value("user", in: request, as: Hostname.self)?.value,
                since: try Query.value("since", in: request, as: Instant.self)?.date,
                until: try Query.value("until", in: request, as: Instant.self)?.date,
                after: try Query.value("after", in: request, as: PositiveNumber.self)?.value,
                limit: try Query.value("limit", in: request, as: PageSize.self)?.value ?? 500)
            if let machine = try Query.value("machine", in: request, as: Hostname.self) {
                query.targetKind = "machine"
                query.target = machine.value
            }
            let entries = try await service.entries(query, by: requester)
            return JSONResponse.make(AuditList(entries.map(AuditEntryView.init)))
        }
    }
}

/// An ISO 8601 instant (`2026-12-02T10:00:00Z`) or a date (`2026-12-02`, midnight UTC).
struct Instant: ParsableValue {
    let date: Date

    init(parsing text: String) throws(InvalidValue) {
        let withTime = ISO8601DateFormatter()
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        guard let date = withTime.date(from: text) ?? dateOnly.date(from: text) else {
            throw InvalidValue("'\(Echo.short(text))' is not a time (2026-12-02T10:00:00Z or 2026-12-02)")
        }
        self.date = date
    }

    var description: String { ISO8601DateFormatter().string(from: date) }
}

/// A positive whole number, such as an id to page after.
struct PositiveNumber: ParsableValue {
    let value: Int64

    init(parsing text: String) throws(InvalidValue) {
        guard let number = Int64(text), number > 0 else { throw InvalidValue("must be a positive whole number") }
        value = number
    }

    var description: String { "\(value)" }
}
