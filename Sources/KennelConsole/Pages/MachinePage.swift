import Foundation
import Hummingbird
import KennelControl
import KennelModel
import KennelServer
import KennelWire

/// `/ui/machines/{name}`: everything about one machine, what runs inside it, its
/// operations and audit entries, and (for those who may change it) its actions. A
/// running operation shows its progress, followed live by the page's script.
struct MachinePage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Facts {
        let name, uuid, state, idc, zone, rack, host, pool, ip, gateway, mac, image, filesystem: String
        let failure: String?
        let prefix, vlan, cpus, processes: Int
        let memory, disk, diskIO, bandwidth: String
        let memorySoft, swap: String?
        let service, owner, team: String
    }
    struct Running {
        let id: Int64
        let kind, state: String
        let step: String?
        let done, total: Int
        let after: Int64
        /// False on a refused form's page: it follows no events and never reloads (a reload would send the refused form again).
        let live: Bool
    }
    struct OperationRow {
        let id: Int64
        let kind, state, by, at, steps: String
        let failure: String?
    }
    struct AuditRow {
        let at, user, action, source: String
        let operation: String
    }
    struct Model {
        let machine: Facts
        let running: Running?
        let canChange: Bool
        /// Start is offered to a machine that is not running; stop and restart to one that is.
        let canStart: Bool
        let canStop: Bool
        let actionBase: String
        let sshd: String
        let programs: [ProgramView]
        let diskUsed: String
        let memoryUsed: String
        let sshCommand: String
        let resize: [FormField]
        let limits: [FormField]
        let operations: [OperationRow]
        let showAudit: Bool
        let audit: [AuditRow]
    }

    func register(on group: RouterGroup<Context>) {
        group.get("machines/:name") { request, context in
            try await show(try context.pathName(of: "machine"), context: context, forms: ChangeForms())
        }
    }

    /// What the resize and limits forms show after a refused change.
    struct ChangeForms {
        var values: [String: String] = [:]
        var errors = FormErrors()
        var notice: String?
    }

    func show(_ name: Hostname, context: Context, forms: ChangeForms, status: HTTPResponse.Status = .ok) async throws -> Response {
        let requester = try context.requester()
        let after = try await services.events.lastID()
        let machine = try await services.machines.machine(named: name, by: requester)
        let health = await services.machines.health(of: machine)
        let operations = try await services.operations.list(OperationQuery(machine: name, limit: 20), by: requester)
        let audit: [AuditEntry]? = try? await services.audit.entries(AuditQuery(targetKind: "machine", target: name.value, limit: 20), by: requester)
        let usage = try? await services.usage?.snapshot(readBy: requester.principal).compactMap { $0.machines[name] }.first
        let unfinished = operations.first { !$0.state.isFinal }
        let model = Model(
            machine: Self.facts(machine), running: unfinished.map { Self.running($0, after: after, live: status == .ok) },
            canChange: requester.principal.canChange(team: machine.team),
            canStart: [.stopped, .failed, .imported].contains(machine.state), canStop: machine.state == .running,
            actionBase: QueryText.machine(name.value),
            sshd: health?.sshd.rawValue ?? "not known", programs: health?.programs.map(ProgramView.init) ?? [],
            diskUsed: usage?.diskUsedBytes.map { ByteSize(bytes: $0).description } ?? "not known",
            memoryUsed: usage.map { ByteSize(bytes: $0.memoryBytes).description } ?? "not known", sshCommand: "kennel ssh \(name.value)",
            resize: Self.resizeFields(forms, machine), limits: Self.limitFields(forms, machine), operations: operations.map(Self.row),
            showAudit: audit != nil, audit: (audit ?? []).map(Self.row))
        return try pages.render(
            "machine", title: name.value, page: model, context: context, section: "machines", status: status, notice: forms.notice,
            refresh: unfinished != nil)
    }

    static func facts(_ machine: Machine) -> Facts {
        let io = machine.spec.diskIO
        var limits: [String] = []
        if let bps = io.readBytesPerSecond { limits.append("read \(ByteSize(bytes: bps))/s") }
        if let bps = io.writeBytesPerSecond { limits.append("write \(ByteSize(bytes: bps))/s") }
        if let iops = io.readIOPS { limits.append("read \(iops) IOPS") }
        if let iops = io.writeIOPS { limits.append("write \(iops) IOPS") }
        return Facts(
            name: machine.name.value, uuid: machine.uuid.uuidString.lowercased(), state: machine.state.rawValue, idc: machine.location.idc.value,
            zone: machine.location.zone.value, rack: machine.location.rack.value, host: machine.host.value, pool: machine.network.pool.value,
            ip: machine.network.ip.description, gateway: machine.network.gateway.description, mac: machine.network.mac.description,
            image: machine.spec.image.value, filesystem: machine.spec.filesystem.rawValue, failure: machine.failure, prefix: machine.network.prefix,
            vlan: machine.network.vlan.value, cpus: machine.spec.cpus.value, processes: machine.spec.processLimit,
            memory: machine.spec.memory.description,
            disk: machine.spec.disk.description, diskIO: limits.isEmpty ? "unlimited" : limits.joined(separator: " · "),
            bandwidth: "in \(machine.spec.ingress?.description ?? "unlimited") · out \(machine.spec.egress?.description ?? "unlimited")",
            memorySoft: machine.spec.memoryLimits.soft?.description, swap: machine.spec.memoryLimits.swap?.description,
            service: machine.service?.value ?? "—", owner: machine.owner?.value ?? "—", team: machine.team?.value ?? "—")
    }

    static func running(_ operation: OperationRecord, after: Int64, live: Bool) -> Running {
        Running(
            id: operation.id, kind: operation.kind.rawValue, state: operation.state.rawValue, step: operation.currentStep,
            done: operation.stepsDone, total: max(operation.totalSteps, 1), after: after, live: live)
    }

    static func row(_ operation: OperationRecord) -> OperationRow {
        OperationRow(
            id: operation.id, kind: operation.kind.rawValue, state: operation.state.rawValue, by: operation.requestedBy,
            at: timestamp(operation.createdAt), steps: "\(operation.stepsDone)/\(operation.totalSteps)", failure: operation.failure?.message)
    }

    static func row(_ entry: AuditEntry) -> AuditRow {
        AuditRow(
            at: timestamp(entry.at), user: entry.user, action: entry.action, source: entry.source ?? "",
            operation: entry.operation.map { "\($0)" } ?? "")
    }

    /// The resize form; each box shows the machine's value as its placeholder.
    static func resizeFields(_ forms: ChangeForms, _ machine: Machine) -> [FormField] {
        [
            .text(
                "disk", "New disk size", hint: "40G, or +10G to grow by 10G", value: forms.values["disk"], error: forms.errors.fields["disk"],
                placeholder: machine.spec.disk.description),
            .text(
                "disk_write_bps", "Disk write limit", hint: "bytes/s, e.g. 20M; 0 lifts it", value: forms.values["disk_write_bps"],
                error: forms.errors.fields["disk_write_bps"],
                placeholder: machine.spec.diskIO.writeBytesPerSecond.map { ByteSize(bytes: $0).description } ?? "unlimited"),
        ]
    }

    /// The limits form; each box shows the machine's value as its placeholder, and an
    /// empty box leaves it as it is.
    static func limitFields(_ forms: ChangeForms, _ machine: Machine) -> [FormField] {
        [
            .text("cpus", "CPUs", value: forms.values["cpus"], error: forms.errors.fields["cpus"], placeholder: "\(machine.spec.cpus.value)"),
            .text(
                "memory", "Memory", hint: "e.g. 2G", value: forms.values["memory"], error: forms.errors.fields["memory"],
                placeholder: machine.spec.memory.description),
            .text(
                "ingress", "Ingress", hint: "bits/s, e.g. 100M; 0 lifts it", value: forms.values["ingress"], error: forms.errors.fields["ingress"],
                placeholder: machine.spec.ingress?.description ?? "unlimited"),
            .text(
                "egress", "Egress", hint: "bits/s, e.g. 100M; 0 lifts it", value: forms.values["egress"], error: forms.errors.fields["egress"],
                placeholder: machine.spec.egress?.description ?? "unlimited"),
        ]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }
}
