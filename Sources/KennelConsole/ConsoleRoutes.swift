import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// The web console: server-rendered pages under `/ui` (and `/` sends there), on the same
/// services and checks as the API. Signed in with an API token once, a browser holds a
/// session cookie; every form carries the session's token; every value is HTML-escaped.
public struct ConsoleRoutes: RouteExtension {
    private let services: KennelServices
    private let templates: ConsoleTemplates
    private let uploads = ImportUploads()

    /// The console over `services`; fails when its templates or files are missing or broken.
    public init(services: KennelServices) throws {
        self.services = services
        self.templates = try ConsoleTemplates()
    }

    public func register(on router: Router<KennelRequestContext>) {
        let pages = ConsolePages(templates: templates)
        router.get("/") { _, _ in ConsoleAnswers.redirect("/ui/machines") }
        router.get("ui") { _, _ in ConsoleAnswers.redirect("/ui/machines") }
        let group = router.group("ui").add(middleware: ConsoleMiddleware(services: services, pages: pages))
        group.get("static/:file") { _, context in
            let name = try context.parameters.require("file")
            guard let file = templates.files[name] else { throw KennelError(.notFound, "There is no such file: \(Echo.short(name))") }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        SignInPage(services: services, pages: pages).register(on: group)
        MachineListPage(services: services, pages: pages).register(on: group)
        MachineRequestPage(services: services, pages: pages).register(on: group)
        let machinePage = MachinePage(services: services, pages: pages)
        machinePage.register(on: group)
        MachineActions(services: services, pages: pages, machinePage: machinePage).register(on: group)
        PoolsPage(services: services, pages: pages).register(on: group)
        RacksPage(services: services, pages: pages).register(on: group)
        SpreadPage(services: services, pages: pages).register(on: group)
        PlacementPage(services: services, pages: pages).register(on: group)
        ImportPage(services: services, pages: pages, uploads: uploads).register(on: group)
        group.get("**") { request, _ -> Response in
            throw KennelError(.notFound, "There is no such page: \(Echo.short(request.uri.path, limit: 80))")
        }
    }
}
