import KennelModel

/// One value of a request's flat JSON object, as written: numbers keep their text so
/// that `2` and `2.0` stay apart.
enum JSONValue: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object

    /// What the value is, for messages.
    var kind: String {
        switch self {
        case .string: "a string"
        case .number(let text): text.contains(where: { ".eE".contains($0) }) ? "a number" : "an integer"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Reads a request body that must be one JSON object of fields, in order, keeping every
/// key as written so that duplicates can be refused (Foundation's decoders keep one and
/// drop the other). Objects inside are read only far enough to be refused by name.
struct JSONScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// Deeper nesting than this is refused before it costs stack.
    static let maximumDepth = 16

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The object's members in order; `bad_request` when the body is not a JSON object.
    static func members(of bytes: [UInt8]) throws(KennelError) -> [(name: String, value: JSONValue)] {
        var scanner = JSONScanner(bytes)
        do {
            let members = try scanner.object()
            scanner.skipSpace()
            guard scanner.index == bytes.count else { throw Malformed() }
            return members
        } catch {
            throw KennelError(.badRequest, "the body is not a JSON object of fields (malformed JSON near byte \(scanner.index))")
        }
    }

    private struct Malformed: Error {}

    private mutating func object() throws(Malformed) -> [(name: String, value: JSONValue)] {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        var members: [(name: String, value: JSONValue)] = []
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipSpace()
            let name = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            members.append((name, try value()))
            skipSpace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return members
        }
    }

    private mutating func value() throws(Malformed) -> JSONValue {
        skipSpace()
        guard let byte = peek() else { throw Malformed() }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"):
            try nested { (scanner: inout JSONScanner) throws(Malformed) in _ = try scanner.object() }
            return .object
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try nested { (scanner: inout JSONScanner) throws(Malformed) in items = try scanner.array() }
            return .array(items)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return .number(try number())
        }
    }

    private mutating func nested(_ body: (inout JSONScanner) throws(Malformed) -> Void) throws(Malformed) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw Malformed() }
        try body(&self)
        depth -= 1
    }

    private mutating func array() throws(Malformed) -> [JSONValue] {
        try expect(UInt8(ascii: "["))
        var items: [JSONValue] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            items.append(try value())
            skipSpace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return items
        }
    }

    private mutating func number() throws(Malformed) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        let first = index
        guard try digits() else { throw Malformed() }
        guard bytes[first] != UInt8(ascii: "0") || index - first == 1 else { throw Malformed() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard try digits() else { throw Malformed() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard try digits() else { throw Malformed() }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits() throws(Malformed) -> Bool {
        let start = index
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        return index > start
    }

    private mutating func string() throws(Malformed) -> String {
        try expect(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() throws(Malformed) {
            guard !raw.isEmpty else { return }
            guard let text = String(validating: raw, as: UTF8.self) else { throw Malformed() }
            scalars.append(contentsOf: text.unicodeScalars)
            raw.removeAll()
        }
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                try flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush()
                scalars.append(try escape())
            case 0..<0x20:
                throw Malformed()
            default:
                raw.append(byte)
            }
        }
        throw Malformed()
    }

    private mutating func escape() throws(Malformed) -> Unicode.Scalar {
        guard let byte = peek() else { throw Malformed() }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high) {
                try expect(UInt8(ascii: "\\"))
                try expect(UInt8(ascii: "u"))
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low),
                    let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else { throw Malformed() }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw Malformed() }
            return scalar
        default: throw Malformed()
        }
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard index + 4 <= bytes.count,
            bytes[index..<index + 4].allSatisfy({ Self.isHexDigit($0) }),
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw Malformed() }
        index += 4
        return value
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private mutating func literal(_ word: String) throws(Malformed) {
        for byte in word.utf8 { try expect(byte) }
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard peek() == byte else { throw Malformed() }
        index += 1
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }
}
