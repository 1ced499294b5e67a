import Foundation

/// The `; name=value` parameters of a header such as `Content-Type` or
/// `Content-Disposition` (RFC 9110 §5.6.6): names lowercased, values as tokens or quoted
/// strings. A quoted value may hold `;` and `=`; a backslash escapes `"` and `\` (as
/// browsers and curl send them); any other backslash is kept, since Windows browsers send
/// file names with backslashes unescaped.
struct HeaderParameters: Equatable {
    struct Parameter: Equatable {
        let name: String
        let value: String
    }

    let values: [Parameter]

    init(_ header: String) {
        var values: [Parameter] = []
        var rest = Substring(header)
        // The first piece is the type (`form-data`, `multipart/form-data`), not a parameter.
        Self.skipValue(&rest)
        while !rest.isEmpty {
            rest.removeFirst()  // the `;`
            let name = rest.prefix { $0 != "=" && $0 != ";" }
            rest = rest.dropFirst(name.count)
            guard rest.first == "=" else { continue }
            rest.removeFirst()
            let value = Self.readValue(&rest)
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            if !trimmed.isEmpty { values.append(Parameter(name: trimmed, value: value)) }
            Self.skipValue(&rest)
        }
        self.values = values
    }

    /// A token (up to `;`, trimmed) or a quoted string (without its quotes, unescaped).
    private static func readValue(_ rest: inout Substring) -> String {
        while let first = rest.first, first == " " || first == "\t" { rest.removeFirst() }
        guard rest.first == "\"" else {
            let token = rest.prefix { $0 != ";" }
            rest = rest.dropFirst(token.count)
            return token.trimmingCharacters(in: .whitespaces)
        }
        rest.removeFirst()
        var value = ""
        while let character = rest.first {
            rest.removeFirst()
            if character == "\"" { return value }
            if character == "\\", let next = rest.first, next == "\"" || next == "\\" {
                rest.removeFirst()
                value.append(next)
            } else {
                value.append(character)
            }
        }
        return value
    }

    /// Moves `rest` to the next `;` outside quotes (or its end).
    private static func skipValue(_ rest: inout Substring) {
        var quoted = false
        while let character = rest.first {
            if character == ";" && !quoted { return }
            rest.removeFirst()
            if character == "\"" {
                quoted.toggle()
            } else if character == "\\", quoted, let next = rest.first, next == "\"" || next == "\\" {
                rest.removeFirst()
            }
        }
    }
}
