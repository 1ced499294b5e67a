import ArgumentParser
import Foundation
import KennelControl
import KennelModel
import KennelWire

/// `kennel machine verify-bandwidth NAME`: a bandwidth self-test, followed to its end.
struct MachineVerifyBandwidth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bandwidth",
        abstract: "Measure a running machine's bandwidth each way against a probe on its VLAN, beside its limits.",
        discussion: """
            The machine's host puts a probe on the machine's VLAN (an address borrowed from its pool) and runs iperf3 \
            for --seconds each way (after one second of TCP slow start). Exits 0 with the report; the report of an earlier \
            test stays with its operation (kennel operation show ID).
            """)

    @OptionGroup var options: APIOptions
    @OptionGroup var operation: OperationOptions
    @Argument(help: "Machine name.", transform: parsed(Hostname.self)) var name: Hostname
    @Option(help: "Seconds to measure each direction (1-30).") var seconds: Int = BandwidthCheckService.defaultSeconds

    func run() async throws {
        let path = "/api/v1/machines/\(name)/verify-bandwidth"
        guard
            let finished = try await OperationFollower(options: options).run(
                .POST, path, form: [("seconds", "\(seconds)")], noWait: operation.noWait), !operation.noWait
        else { return }
        guard let report = finished.result?.bandwidth else {
            throw KennelError(.internal, "operation \(finished.id) ended without its report")
        }
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.text(report), terminator: "")
        }
    }

    /// The report as lines: each direction's limit, what was achieved, and the ratio.
    static func text(_ report: BandwidthReportView) -> String {
        func line(_ label: String, _ result: BandwidthResult) -> String {
            let achieved = String(format: "%.1f Mbit/s", Double(result.achievedBitsPerSecond) / 1_000_000)
            guard let limit = result.configured, let percent = result.percent else { return "  \(label)no limit, achieved \(achieved)\n" }
            return "  \(label)limit \(limit), achieved \(achieved) = \(percent) % of it\n"
        }
        return "bandwidth of \(report.machine) against probe \(report.peer) on VLAN \(report.vlan), \(report.seconds) s each way:\n"
            + line("egress  (out of it): ", report.egress) + line("ingress (into it):   ", report.ingress)
    }
}
