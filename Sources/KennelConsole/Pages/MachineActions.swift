import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// The machine page's actions: start at once; stop, restart and delete after a
/// confirmation page (delete asks for the machine's name); resize and limits from their
/// forms, refused changes shown beside their fields. Each goes through the same service
/// calls (and checks) as the API, and the machine page follows the operation.
struct MachineActions {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages
    let machinePage: MachinePage

    enum Action: String, CaseIterable {
        case start, stop, restart, delete
    }

    struct Confirmation {
        let heading, explanation, action, button, buttonClass, back, name: String
        let typeName: Bool
    }

    func register(on group: RouterGroup<Context>) {
        group.get("machines/:name/confirm", use: confirm)
        group.post("machines/:name/:action", use: act)
    }

    @Sendable func confirm(request: Request, context: Context) async throws -> Response {
        let name = try context.pathName(of: "machine")
        let requester = try context.requester()
        let machine = try await services.machines.machine(named: name, by: requester)
        try requester.principal.requireChange("machine", name.value, team: machine.team)
        let text = request.uri.queryParameters["action"].map(String.init) ?? ""
        guard let action = Action(rawValue: text), action != .start else {
            throw KennelError.invalid("action", "'\(Echo.short(text))' is not one of stop, restart, delete")
        }
        let base = QueryText.machine(name.value)
        let model =
            switch action {
            case .stop:
                Confirmation(
                    heading: "Stop \(name.value)?",
                    explanation: "Its programs are stopped and it stays stopped until started again, across host restarts.",
                    action: base + "/stop", button: "Stop", buttonClass: "danger", back: base, name: name.value, typeName: false)
            case .restart:
                Confirmation(
                    heading: "Restart \(name.value)?", explanation: "Everything running inside it stops and starts again; sessions are cut.",
                    action: base + "/restart", button: "Restart", buttonClass: "danger", back: base, name: name.value, typeName: false)
            case .delete, .start:
                Confirmation(
                    heading: "Delete \(name.value)?",
                    explanation:
                        "Its disk and everything on it are destroyed. Its address \(machine.network.ip) is held in quarantine before reuse. This cannot be undone.",
                    action: base + "/delete", button: "Delete", buttonClass: "danger", back: base, name: name.value, typeName: true)
            }
        return try pages.render("confirm", title: model.heading, page: model, context: context, section: "machines")
    }

    @Sendable func act(request: Request, context: Context) async throws -> Response {
        let name = try context.pathName(of: "machine")
        let requester = try context.requester()
        let text = try context.parameters.require("action")
        let pairs = try await ConsoleForm.pairs(of: request)
        let base = QueryText.machine(name.value)
        switch text {
        case Action.start.rawValue:
            _ = try await services.machines.submitStart(named: name, by: requester)
        case Action.stop.rawValue:
            _ = try await services.machines.submitStop(named: name, by: requester)
        case Action.restart.rawValue:
            _ = try await services.machines.submitRestart(named: name, by: requester)
        case Action.delete.rawValue:
            let typed = pairs.first { $0.name == "confirm" }?.value.trimmingCharacters(in: .whitespaces) ?? ""
            guard typed == name.value else {
                throw KennelError.invalid("confirm", "type the machine's name, \(name.value), to delete it")
            }
            _ = try await services.machines.submitDelete(named: name, by: requester)
            return ConsoleAnswers.redirect(QueryText.link("/ui/machines", [("deleting", name.value)]))
        case "resize":
            return try await change(name, pairs, context: context, allowed: ResizeRequest.fieldNames) { fields throws in
                try await services.machines.submitResize(named: name, try ResizeRequest(fields: fields), by: requester)
            }
        case "limits":
            return try await change(name, pairs, context: context, allowed: Set(LimitsRequest.limitFieldNames)) { fields throws in
                try await services.machines.submitLimits(named: name, try LimitsRequest(fields: fields), by: requester)
            }
        default:
            throw KennelError(.notFound, "There is no action \(Echo.short(text)) for machines")
        }
        return ConsoleAnswers.redirect(base)
    }

    /// A resize or limits change: refused, the machine page again with the message
    /// beside the field and the values kept; accepted, the machine page follows it.
    private func change(
        _ name: Hostname, _ pairs: [(name: String, value: String)], context: Context, allowed: Set<String>,
        _ submit: (RequestFields) async throws -> OperationHandle
    ) async throws -> Response {
        var forms = MachinePage.ChangeForms()
        for (field, value) in pairs { forms.values[field] = value }
        do {
            // An empty box leaves its value as it is (in the API an empty field clears it).
            _ = try await submit(try RequestFields(pairs.filter { !$0.value.isEmpty }, allowed: allowed))
            return ConsoleAnswers.redirect(QueryText.machine(name.value))
        } catch let error as KennelError where error.code != .internal && error.code != .notFound && error.code != .forbidden {
            forms.errors.record(error, shown: Set(forms.values.keys))
            forms.notice = nil
            return try await machinePage.show(name, context: context, forms: forms, status: error.httpStatus)
        }
    }
}
