import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelPlacement
import KennelServer

/// `/ui/placement`: placement explain as a form (GET, nothing is made): the host chosen,
/// the candidates ranked, and each host set aside with the filter and reason.
struct PlacementPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Ranked {
        let host, rack, free: String
        let rackMachines, hostMachines: Int
    }
    struct Model {
        let fields: [FormField]
        let asked: Bool
        let chosen: String?
        let error: String?
        let hasRanking: Bool
        let ranking: [Ranked]
        let hasRefusals: Bool
        let filtered: String
        let refusals: [RefusalDetails.HostReason]
    }

    static let fieldNames = ["idc", "zone", "rack", "cpus", "memory", "disk", "service", "spread", "host_class", "pool"]

    func register(on group: RouterGroup<Context>) {
        group.get("placement") { request, context in
            _ = try context.requester()
            var values: [String: String] = [:]
            for (name, value) in request.uri.queryParameters where Self.fieldNames.contains(String(name)) && !value.isEmpty {
                values[String(name)] = String(value)
            }
            var errors = FormErrors()
            var report: PlacementReport?
            if !values.isEmpty {
                let pairs = values.map { (name: $0.key, value: $0.value) } + [(name: "name", value: "dry-run")]
                switch FormErrors.collect(
                    pairs, shown: Set(Self.fieldNames), placeholders: ["idc": "x"],
                    { pairs throws(KennelError) in
                        try MachineRequest(fields: RequestFields(pairs, allowed: MachineRequest.fieldNames))
                    })
                {
                case .success(let machine): report = try await services.placement.explain(machine)
                case .failure(let found): errors = found
                }
            }
            let model = Self.model(values: values, errors: errors, report: report)
            return try pages.render("placement", title: "Placement", page: model, context: context, section: "placement")
        }
    }

    static func model(values: [String: String], errors: FormErrors, report: PlacementReport?) -> Model {
        func text(_ name: String, _ label: String, hint: String = "") -> FormField {
            .text(name, label, hint: hint, value: values[name], error: errors.fields[name])
        }
        let fields = [
            text("idc", "IDC"), text("zone", "Zone"), text("rack", "Rack"), text("cpus", "CPUs", hint: "1 when left out"),
            text("memory", "Memory", hint: "1G when left out"), text("disk", "Disk", hint: "10G when left out"), text("service", "Service"),
            .select(
                "spread", "Spread", choices: [("", "best-effort (default)")] + SpreadMode.allCases.map { ($0.rawValue, $0.rawValue) },
                value: values["spread"], error: errors.fields["spread"]),
            text("host_class", "Host class"), text("pool", "Pool"),
        ]
        let refusals = report?.refusals
        let filtered = (refusals?.filtered ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " · ")
        return Model(
            fields: fields, asked: report != nil || !errors.isEmpty, chosen: report?.chosen?.name.value,
            error: report?.error?.message ?? (errors.general.isEmpty ? nil : errors.general.joined(separator: " ")),
            hasRanking: !(report?.ranking.isEmpty ?? true),
            ranking: (report?.ranking ?? []).map {
                Ranked(
                    host: $0.host.name.value, rack: $0.host.location.rack.value, free: String(format: "%.0f%%", $0.freeShare * 100),
                    rackMachines: $0.rackServiceMachines, hostMachines: $0.hostServiceMachines)
            }, hasRefusals: !(refusals?.hosts.isEmpty ?? true), filtered: filtered, refusals: refusals?.hosts ?? [])
    }
}
