import Hummingbird
import KennelControl
import KennelModel
import KennelPlacement
import KennelServer

/// `/ui/spread?service=S`: how a service's machines sit over the racks of each IDC, and
/// which racks hold more than their share.
struct SpreadPage {
    typealias Context = KennelRequestContext
    let services: KennelServices
    let pages: ConsolePages

    struct Choice {
        let value: String
        let selected: Bool
    }
    struct RackRow {
        let zone, rack: String
        let machines: Int
        let over: Bool
    }
    struct IDCBlock {
        let idc: String
        let machines, skew, share: Int
        let racks: [RackRow]
    }
    struct Report {
        let service: String
        let idcs: [IDCBlock]
    }
    struct Model {
        let services: [Choice]
        let report: Report?
        let error: String?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("spread") { request, context in
            let machines = try await services.machines.list(by: try context.requester())
            let known = Set(machines.compactMap { $0.service?.value }).sorted()
            let asked = request.uri.queryParameters["service"].map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? known.first
            var report: Report?
            var problem: String?
            if let asked {
                do {
                    let name: Label
                    do throws(InvalidValue) { name = try Label(parsing: asked) } catch { throw KennelError.invalid("service", error.reason) }
                    report = Self.report(try await services.placement.spread(of: name))
                } catch let error as KennelError {
                    problem = error.message
                }
            }
            let model = Model(services: known.map { Choice(value: $0, selected: $0 == asked) }, report: report, error: problem)
            return try pages.render("spread", title: "Spread", page: model, context: context, section: "spread")
        }
    }

    static func report(_ spread: SpreadReport) -> Report {
        Report(
            service: spread.service.value,
            idcs: spread.idcs.map { idc in
                IDCBlock(
                    idc: idc.idc.value, machines: idc.machines, skew: idc.skew, share: idc.share,
                    racks: idc.racks.map {
                        RackRow(zone: $0.location.zone.value, rack: $0.location.rack.value, machines: $0.machines, over: $0.overShare)
                    })
            })
    }
}
