import KennelControl
import KennelModel

/// What every page shows around its content: the signed-in user, the sections, the
/// sign-out form's token. `page` is the content's own model.
struct Screen {
    let title: String
    let chrome: Chrome?
    let notice: String?
    /// Reload every 2 s without JavaScript (an operation is under way).
    let refresh: Bool
    let page: Any

    init(title: String, chrome: Chrome?, notice: String? = nil, refresh: Bool = false, page: Any) {
        self.title = title
        self.chrome = chrome
        self.notice = notice
        self.refresh = refresh
        self.page = page
    }
}

/// The signed-in user's bar.
struct Chrome {
    let user: String
    let role: String
    let csrf: String
    let isAdmin: Bool
    /// Admins and operators may request machines.
    let canRequest: Bool
    /// The section shown, as `nav.NAME` for the template.
    let nav: [String: Bool]

    init(principal: Principal, formToken: String, section: String) {
        user = principal.user.value
        role = principal.role.rawValue
        csrf = formToken
        isAdmin = principal.isAdmin
        canRequest = principal.isAdmin || principal.role == .operator
        nav = [section: true]
    }
}

/// One form field: its label, the value entered, the server's message about it.
struct FormField {
    struct Option {
        let value: String
        let text: String
        let selected: Bool
    }

    let name: String
    let label: String
    let hint: String
    let value: String
    let error: String?
    let required: Bool
    let placeholder: String?
    let isText: Bool
    let isSelect: Bool
    let isTextarea: Bool
    let options: [Option]

    /// A text input.
    static func text(
        _ name: String, _ label: String, hint: String = "", value: String?, error: String?, required: Bool = false, placeholder: String? = nil
    ) -> FormField {
        FormField(
            name: name, label: label, hint: hint, value: value ?? "", error: error, required: required, placeholder: placeholder, isText: true,
            isSelect: false, isTextarea: false, options: [])
    }

    /// A choice among `choices` (value, text); the entered value stays selected.
    static func select(_ name: String, _ label: String, hint: String = "", choices: [(String, String)], value: String?, error: String?) -> FormField {
        FormField(
            name: name, label: label, hint: hint, value: value ?? "", error: error, required: false, placeholder: nil, isText: false, isSelect: true,
            isTextarea: false, options: choices.map { Option(value: $0.0, text: $0.1, selected: $0.0 == (value ?? "")) })
    }

    /// A multi-line text area.
    static func textarea(_ name: String, _ label: String, hint: String = "", value: String?, error: String?) -> FormField {
        FormField(
            name: name, label: label, hint: hint, value: value ?? "", error: error, required: false, placeholder: nil, isText: false,
            isSelect: false, isTextarea: true, options: [])
    }
}
