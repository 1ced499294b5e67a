import KennelControl
import KennelModel

/// The answer of a waited `POST /api/v1/machines/{name}/verify-bandwidth`: each
/// direction's limit beside what TCP achieved against a probe on the machine's VLAN.
public struct BandwidthReportView: Codable, Sendable, Equatable {
    public let machine: String
    /// The operation that measured it (`/api/v1/operations/{id}` keeps the report).
    public let operation: Int64
    public let peer: String
    public let vlan: Int
    public let seconds: Int
    /// Out of the machine.
    public let egress: BandwidthResult
    /// Into the machine.
    public let ingress: BandwidthResult

    public init(machine: Hostname, operation: Int64, report: BandwidthReport) {
        self.machine = machine.value
        self.operation = operation
        peer = report.peer.description
        vlan = report.vlan.value
        seconds = report.seconds
        egress = report.egress
        ingress = report.ingress
    }
}

/// What an operation produced, as `GET /api/v1/operations/{id}` shows it.
public struct OperationResultView: Codable, Sendable, Equatable {
    /// A bandwidth self-test's report.
    public let bandwidth: BandwidthReportView?
    /// An import's totals (its rows: `GET /api/v1/imports/{id}/rows`).
    public let imported: ImportSummaryView?

    enum CodingKeys: String, CodingKey {
        case bandwidth
        case imported = "import"
    }

    public init?(_ operation: OperationRecord) {
        guard let result = operation.result, result.bandwidth != nil || result.imported != nil else { return nil }
        bandwidth = result.bandwidth.map { BandwidthReportView(machine: operation.machine, operation: operation.id, report: $0) }
        imported = result.imported.map { ImportSummaryView($0, operation: operation.id) }
    }
}
