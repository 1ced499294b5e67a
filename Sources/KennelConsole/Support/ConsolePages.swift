import Hummingbird
import KennelControl
import KennelModel
import KennelServer

/// Renders pages inside the console's layout for the signed-in user.
struct ConsolePages: Sendable {
    let templates: ConsoleTemplates

    /// `template` with `page` as its content, for the user of `context`, in `section`.
    func render(
        _ template: String, title: String, page: Any, context: KennelRequestContext, section: String, status: HTTPResponse.Status = .ok,
        notice: String? = nil, refresh: Bool = false
    ) throws -> Response {
        let screen = Screen(title: title, chrome: chrome(context, section: section), notice: notice, refresh: refresh, page: page)
        return ConsoleAnswers.html(try templates.render(template, screen), status: status)
    }

    /// The error as a page with the error's status; never an internal error's text.
    func error(_ error: KennelError, context: KennelRequestContext) -> Response {
        let message = error.code == .internal ? "Something went wrong inside Kennel; the service log has the details." : error.message
        let heading =
            switch error.code {
            case .notFound: "Not found"
            case .forbidden: "Not allowed"
            case .unauthorized: "Signed out"
            case .conflict, .nameTaken, .ipInUse, .macInUse, .poolExhausted, .noCapacity, .spreadImpossible: "Refused"
            default: "Error"
            }
        let screen = Screen(title: heading, chrome: chrome(context, section: ""), page: ErrorPage(heading: heading, message: message))
        do {
            return ConsoleAnswers.html(try templates.render("error", screen), status: error.httpStatus)
        } catch {
            return ConsoleAnswers.html("<!doctype html><title>Error</title><p>Error</p>", status: .internalServerError)
        }
    }

    private func chrome(_ context: KennelRequestContext, section: String) -> Chrome? {
        guard let principal = context.principal, let session = context.consoleSession else { return nil }
        return Chrome(principal: principal, formToken: session.formToken, section: section)
    }
}

struct ErrorPage {
    let heading: String
    let message: String
}
