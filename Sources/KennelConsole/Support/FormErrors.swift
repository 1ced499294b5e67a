import KennelModel

/// What a form got wrong, for the page to show beside each field: the API refuses a
/// request at its first bad field, a person wants to see all of them at once.
struct FormErrors: Equatable, Sendable {
    /// The message for each bad field, by field name.
    var fields: [String: String] = [:]
    /// Messages that name no field (or a field the form does not show).
    var general: [String] = []

    var isEmpty: Bool { fields.isEmpty && general.isEmpty }

    /// Records `error` beside its field when `shown` has it, else as a general message.
    mutating func record(_ error: KennelError, shown: Set<String>) {
        if let field = error.field, shown.contains(field), fields[field] == nil {
            fields[field] = error.message
        } else {
            general.append(error.message)
        }
    }

    /// The value `build` makes from `pairs`, or every field error it finds: after each
    /// refusal naming a field, that field is set aside and `build` runs again, so one bad
    /// field does not hide the next; a required field set aside (or missing) is given its
    /// value from `placeholders` so that the check goes on past it. Stops at an error naming
    /// no field, or one named before.
    static func collect<Value>(
        _ pairs: [(name: String, value: String)], shown: Set<String>, placeholders: [String: String] = [:], rounds: Int = 40,
        _ build: ([(name: String, value: String)]) throws(KennelError) -> Value
    ) -> Result<Value, FormErrors> {
        var errors = FormErrors()
        var remaining = pairs
        for _ in 0..<rounds {
            do {
                let value = try build(remaining)
                return errors.isEmpty ? .success(value) : .failure(errors)
            } catch {
                guard let field = error.field, errors.fields[field] == nil, !errors.general.contains(error.message) else {
                    if errors.isEmpty { errors.record(error, shown: shown) }
                    return .failure(errors)
                }
                errors.record(error, shown: shown)
                guard shown.contains(field) else { return .failure(errors) }
                remaining.removeAll { $0.name == field }
                if let placeholder = placeholders[field] { remaining.append((name: field, value: placeholder)) }
            }
        }
        return .failure(errors)
    }
}

extension FormErrors: Error {}
