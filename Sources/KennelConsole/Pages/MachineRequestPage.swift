import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// `/ui/machines/new` and its POST: the form API's fields and checks, with every bad
/// field's message beside it and the values entered kept. Accepted, the machine's page
/// follows its create.
struct MachineRequestPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Model {
        let main: [FormField]
        let size: [FormField]
        let placement: [FormField]
        let limits: [FormField]
        let hasErrors: Bool
        let general: [String]
        let openAdvanced: Bool
    }

    /// The fields the form shows, by section.
    static let mainFields = ["name", "idc", "zone", "team", "service", "owner", "image", "ssh_key"]
    static let sizeFields = ["cpus", "memory", "disk", "filesystem"]
    static let placementFields = ["pool", "ip", "rack", "spread", "host_class"]
    static let limitFields = ["ingress", "egress", "disk_read_bps", "disk_write_bps", "memory_soft", "swap"]
    static var shown: Set<String> { Set(mainFields + sizeFields + placementFields + limitFields) }

    func register(on group: RouterGroup<Context>) {
        group.get("machines/new") { _, context in
            try await show([:], errors: FormErrors(), context: context, status: .ok)
        }
        group.post("machines", use: submit)
    }

    @Sendable func submit(request: Request, context: Context) async throws -> Response {
        let requester = try context.requester()
        let pairs = try await ConsoleForm.pairs(of: request)
        var values: [String: String] = [:]
        for (name, value) in pairs { values[name] = values[name].map { $0 + "\n" + value } ?? value }
        // One key per line in the text area; each is one `ssh_key` of the form API.
        let fields = pairs.flatMap { pair -> [(name: String, value: String)] in
            guard pair.name == "ssh_key" else { return [pair] }
            return pair.value.split(whereSeparator: \.isNewline).map { (name: "ssh_key", value: String($0).trimmingCharacters(in: .whitespaces)) }
        }
        let checked = FormErrors.collect(fields, shown: Self.shown, placeholders: ["name": "x", "idc": "x"]) { pairs throws(KennelError) in
            try MachineRequest(
                fields: RequestFields(pairs, allowed: MachineRequest.fieldNames, repeatable: MachineRequest.repeatableFieldNames))
        }
        switch checked {
        case .failure(let errors):
            return try await show(values, errors: errors, context: context, status: .unprocessableContent)
        case .success(let machineRequest):
            do {
                let handle = try await services.machines.submitCreate(machineRequest, by: requester)
                return ConsoleAnswers.redirect(QueryText.machine(handle.machine.value))
            } catch let error as KennelError where error.code != .internal {
                var errors = FormErrors()
                errors.record(error, shown: Self.shown)
                return try await show(values, errors: errors, context: context, status: error.httpStatus)
            }
        }
    }

    private func show(_ values: [String: String], errors: FormErrors, context: Context, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requester().principal
        let topology = try await services.hosts.topology()
        func text(_ name: String, _ label: String, hint: String = "", required: Bool = false, placeholder: String? = nil) -> FormField {
            .text(name, label, hint: hint, value: values[name], error: errors.fields[name], required: required, placeholder: placeholder)
        }
        func select(_ name: String, _ label: String, hint: String = "", _ choices: [(String, String)]) -> FormField {
            .select(name, label, hint: hint, choices: choices, value: values[name], error: errors.fields[name])
        }
        let idcs = topology.idcs.map { ($0.value, $0.value) }
        let zones = Set(topology.zones.map(\.zone.value)).sorted().map { ($0, $0) }
        let teams = principal.teams.map(\.value).sorted().map { ($0, $0) }
        let main = [
            text("name", "Name", hint: "Hostname: lower-case letters, digits and '-'", required: true, placeholder: "web-01"),
            select("idc", "IDC", [("", "choose an IDC")] + idcs),
            select("zone", "Zone", hint: "Any zone of the IDC when left out", [("", "any")] + zones),
            principal.isAdmin
                ? text("team", "Team", hint: "The team whose members may log in")
                : select("team", "Team", [("", teams.count == 1 ? "my team" : "choose")] + teams),
            text("service", "Service", hint: "Machines of a service are spread over racks"),
            text("owner", "Owner", hint: "A free label, such as a person or a cost centre"),
            text("image", "Image", hint: "debian-12 when left out", placeholder: "debian-12"),
            .textarea(
                "ssh_key", "SSH public keys", hint: "One per line; keys allowed to log in as root", value: values["ssh_key"],
                error: errors.fields["ssh_key"]),
        ]
        let size = [
            text("cpus", "CPUs", hint: "1 when left out", placeholder: "1"),
            text("memory", "Memory", hint: "e.g. 512M, 2G (1G when left out)", placeholder: "1G"),
            text("disk", "Disk", hint: "e.g. 10G (10G when left out)", placeholder: "10G"),
            select("filesystem", "Filesystem", [("", "xfs (default)"), ("xfs", "xfs"), ("ext4", "ext4")]),
        ]
        let placement = [
            text("pool", "Address pool", hint: "One that serves the IDC and zone when left out"),
            text("ip", "IP address", hint: "The pool's lowest free address when left out"),
            text("rack", "Rack"),
            select("spread", "Spread", [("", "best-effort (default)")] + SpreadMode.allCases.map { ($0.rawValue, $0.rawValue) }),
            text("host_class", "Host class"),
        ]
        let limits = [
            text("ingress", "Ingress", hint: "e.g. 100M (bits/s)"), text("egress", "Egress", hint: "e.g. 100M (bits/s)"),
            text("disk_read_bps", "Disk read", hint: "e.g. 50M (bytes/s)"), text("disk_write_bps", "Disk write", hint: "e.g. 20M (bytes/s)"),
            text("memory_soft", "Soft memory"), text("swap", "Swap"),
        ]
        let advanced = Set(Self.placementFields + Self.limitFields)
        let model = Model(
            main: main, size: size, placement: placement, limits: limits, hasErrors: !errors.isEmpty, general: errors.general,
            openAdvanced: values.keys.contains { advanced.contains($0) && !(values[$0] ?? "").isEmpty }
                || errors.fields.keys.contains(where: advanced.contains))
        return try pages.render("request", title: "Request a machine", page: model, context: context, section: "request", status: status)
    }
}
