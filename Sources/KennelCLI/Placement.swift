import ArgumentParser
import KennelModel
import KennelWire

/// `kennel placement explain …`: what placement would do, without doing it.
struct PlacementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement", abstract: "Explain placement decisions.", subcommands: [PlacementExplain.self]
    )
}

struct PlacementExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Dry-run a machine request and show why each host would or would not take it.")
    @OptionGroup var options: APIOptions
    @Option(help: "IDC.") var idc: String
    @Option(help: "Zone.") var zone: String?
    @Option(help: "CPUs.") var cpus: String?
    @Option(help: "Memory.") var memory: String?
    @Option(help: "Disk.") var disk: String?
    @Option(help: "Service (spread group).") var service: String?
    @Option(help: "best-effort or strict.") var spread: String?
    @Option(name: .customLong("host-class"), help: "Required host class.") var hostClass: String?

    func run() async throws {
        let query = [
            ("idc", idc), ("zone", zone), ("cpus", cpus), ("memory", memory), ("disk", disk), ("service", service),
            ("spread", spread), ("host_class", hostClass),
        ]
        .compactMap { key, value in value.map { "\(key)=\(FormBody.escape($0))" } }.joined(separator: "&")
        try await options.print(PlacementView.self, .GET, "/api/v1/placement/explain?\(query)", text: PlacementText.explain)
    }
}

/// `kennel service spread NAME`: how a service's machines stand over racks.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Service views.", subcommands: [ServiceSpread.self])
}

struct ServiceSpread: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spread", abstract: "Machines of a service per IDC › zone › rack, with skew.")
    @OptionGroup var options: APIOptions
    @Argument(help: "Service name.", transform: parsed(Label.self)) var service: Label

    func run() async throws {
        try await options.print(SpreadView.self, .GET, "/api/v1/services/\(FormBody.escape(service.value))/spread", text: PlacementText.spread)
    }
}

/// Terminal renderings of placement answers.
enum PlacementText {
    static func explain(_ view: PlacementView) -> String {
        var lines: [String] = []
        if let host = view.host {
            lines.append("would place on \(host) (\(view.zone ?? "?")/\(view.rack ?? "?"))")
        } else if let error = view.error {
            lines.append("cannot place: \(error.code): \(error.message)")
        }
        if !view.ranking.isEmpty {
            lines.append("eligible hosts, best first:")
            lines.append(
                TextTable.render(
                    headers: ["HOST", "ZONE", "RACK", "RACK SERVICE", "HOST SERVICE", "FREE"],
                    rows: view.ranking.map {
                        [$0.host, $0.zone, $0.rack, String($0.rackServiceMachines), String($0.hostServiceMachines), String($0.freeShare)]
                    }
                ).trimmingCharacters(in: .newlines))
        }
        if !view.refused.isEmpty {
            lines.append("refused (" + view.filtered.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "):")
            lines.append(
                TextTable.render(headers: ["HOST", "FILTER", "REASON"], rows: view.refused.map { [$0.host, $0.filter, $0.reason] })
                    .trimmingCharacters(in: .newlines))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func spread(_ view: SpreadView) -> String {
        var lines = ["service \(view.service): \(Counted.text(view.machines, "machine"))"]
        for idc in view.idcs {
            lines.append("\(idc.idc): \(Counted.text(idc.machines, "machine")), share \(idc.share) per rack, skew \(idc.skew)")
            for zone in idc.zones {
                let racks = zone.racks.map { "\($0.rack)=\($0.machines)" + ($0.overShare ? "!" : "") }.joined(separator: " ")
                lines.append("  \(zone.zone): \(racks)")
            }
        }
        if view.idcs.flatMap(\.zones).flatMap(\.racks).contains(where: \.overShare) { lines.append("! rack holds more than its share") }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation
